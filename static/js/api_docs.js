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
})();
