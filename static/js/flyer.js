// The flyer's print button (no inline handler: the CSP forbids it). It stays hidden without
// JavaScript, where the browser's own Print command does the same.
document.querySelectorAll("[data-flyer-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
  button.hidden = false;
});
