// Redoc reads the schema URL from the page (no inline script under our CSP).
document.addEventListener("DOMContentLoaded", () => {
  const element = document.getElementById("redoc-ui");
  if (element && typeof Redoc !== "undefined") Redoc.init(element.dataset.specUrl, {}, element);
});
