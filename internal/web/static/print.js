// Print buttons of the contact-card pages: any element with data-print.
document.addEventListener("click", function (e) {
  if (e.target.closest("[data-print]")) {
    window.print();
  }
});
