// The contact log: ticking a community chooses the language this liaison last used with it
// (data-last-language), unless they already chose a language themselves. No inline script:
// the CSP forbids it; without JavaScript the server's default stands.
(() => {
  const language = document.getElementById("id_language");
  if (!language) return;
  let chosenByHand = false;
  language.addEventListener("change", () => { chosenByHand = true; });
  document.querySelectorAll("input[name=communities][data-last-language]").forEach((box) => {
    box.addEventListener("change", () => {
      const wanted = box.dataset.lastLanguage;
      if (box.checked && !chosenByHand && [...language.options].some((o) => o.value === wanted)) {
        language.value = wanted;
      }
    });
  });
})();

// The sticky Save bar: whatever takes the focus scrolls clear of it (WCAG 2.4.11), by the
// bar's own height on this screen and in this language (set through the CSSOM, CSP-safe).
(() => {
  const bar = document.querySelector(".contact-form .contact-save");
  if (!bar) return;
  const clear = () => {
    document.documentElement.style.scrollPaddingBottom = `${bar.offsetHeight + 16}px`;
  };
  clear();
  window.addEventListener("resize", clear);
})();
