// "Print this page" on a policy page: shown only where script runs (the button is hidden
// in the markup, so a page without script never shows a button that does nothing).
document.querySelectorAll(".policy-print").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
});
