// An export job's progress (templates/dashboard/_export_status.html): while the file is being
// prepared, ask the server how far it is and move the bar; once it is ready (or failed), load
// the page again so the server shows the download link. No inline script: the CSP forbids it.
(() => {
  const waiting = [...document.querySelectorAll(".export-status")].filter(
    (el) => el.dataset.state === "queued" || el.dataset.state === "running",
  );
  if (!waiting.length) return;
  let delay = 1000;
  const poll = async () => {
    for (const el of waiting) {
      try {
        const response = await fetch(el.dataset.statusUrl, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        });
        if (!response.ok) continue;
        const status = await response.json();
        if (status.state !== el.dataset.state && !["queued", "running"].includes(status.state)) {
          window.location.reload();
          return;
        }
        el.dataset.state = status.state;
        const bar = el.querySelector(".export-progress");
        const label = el.querySelector("label");
        const badge = el.querySelector(".export-state");
        if (bar) {
          bar.value = status.percent;
          bar.textContent = `${status.percent}%`;
        }
        if (label) label.textContent = status.progress;
        if (badge) badge.textContent = status.label;
      } catch (error) {
        // Offline for a moment: try again later.
      }
    }
    delay = Math.min(delay * 1.5, 10000);
    window.setTimeout(poll, delay);
  };
  window.setTimeout(poll, delay);
})();
