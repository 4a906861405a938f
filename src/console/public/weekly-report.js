// The weekly report's print button (printing works from the browser menu without it).
document.addEventListener('DOMContentLoaded', function () {
  var b = document.getElementById('print');
  if (!b) return;
  b.hidden = false;
  b.addEventListener('click', function () { window.print(); });
});
