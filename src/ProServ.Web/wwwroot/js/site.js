// Small progressive enhancements; every page works without them.
(function () {
  // Move focus to the error summary so keyboard and screen-reader users land on it.
  var summary = document.getElementById('error-summary') || document.getElementById('refusal');
  if (summary) { summary.setAttribute('tabindex', '-1'); summary.focus(); }

  // Show a field only when a checkbox is ticked (e.g. the customer of a customer contact).
  document.querySelectorAll('[data-show-when]').forEach(function (el) {
    var box = document.getElementById(el.getAttribute('data-show-when'));
    if (!box) return;
    var sync = function () { el.hidden = !box.checked; };
    box.addEventListener('change', sync);
    sync();
  });

  // Copy a secret to the clipboard.
  document.querySelectorAll('[data-copy]').forEach(function (btn) {
    btn.hidden = false;
    btn.addEventListener('click', function () {
      var target = document.getElementById(btn.getAttribute('data-copy'));
      if (!target || !navigator.clipboard) return;
      navigator.clipboard.writeText(target.textContent.trim()).then(function () { btn.textContent = 'Copied'; });
    });
  });

  // Close the user menu with Escape.
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    document.querySelectorAll('details.user-menu[open]').forEach(function (d) { d.open = false; d.querySelector('summary').focus(); });
  });
})();
