// Filter sidebars are folded (<details class="filters-fold">) so that a phone shows the results first;
// on a screen wide enough for the sidebar, open them. Without JavaScript they open with a tap.
(function () {
  var wide = window.matchMedia("(min-width: 900px)");
  function apply() {
    document.querySelectorAll("details.filters-fold").forEach(function (fold) {
      if (wide.matches) fold.open = true;
    });
  }
  document.addEventListener("DOMContentLoaded", apply);
  wide.addEventListener("change", apply);
})();
