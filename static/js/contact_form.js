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
