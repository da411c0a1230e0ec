// Set the theme before the first paint (the page never flashes the wrong colours).
(function () {
  var saved = null;
  try { saved = localStorage.getItem("parthenon.theme"); } catch (e) {}
  var dark = saved ? saved === "dark" : window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.dataset.theme = dark ? "dark" : "light";
})();
