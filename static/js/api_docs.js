// The API reference on /<lang>/api/docs/: Swagger UI (npm swagger-ui-dist, served by the app)
// drawing /api/schema/. No inline script, so the page keeps the strict CSP.
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  if (!node || typeof window.SwaggerUIBundle !== "function") return;
  window.SwaggerUIBundle({
    url: node.getAttribute("data-url"),
    domNode: node,
    deepLinking: false,
    // "Try it out" would send the reader's own token from this page: the reference only reads.
    supportedSubmitMethods: [],
    defaultModelsExpandDepth: 0,
    validatorUrl: null,
  });
  // Swagger UI draws some selects (a parameter's values, a media type) without a label: name
  // each after its row, so a screen reader says what it chooses.
  function label() {
    node.querySelectorAll("select:not([aria-label])").forEach(function (select) {
      var row = select.closest("tr");
      var name = row && row.getAttribute("data-param-name");
      var text = name || (select.closest(".content-type-wrapper, .response-control-media-type") ? "Media type" : "Choice");
      select.setAttribute("aria-label", text);
    });
  }
  new MutationObserver(label).observe(node, { childList: true, subtree: true });
})();
