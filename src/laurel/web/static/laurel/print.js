// A button marked data-print prints the page: the content security policy allows no
// onclick= in the markup, so the behaviour lives here.
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
