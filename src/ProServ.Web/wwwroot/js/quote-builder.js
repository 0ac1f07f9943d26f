// Live totals for the quote builder. The server computes the same figures (QuoteMath) and is the one that counts;
// this only shows them while typing. Amounts are kept in cents to avoid floating-point drift.
(function () {
  var form = document.getElementById('quote-builder');
  if (!form) return;
  var cents = function (v) { var n = parseFloat(v); return isNaN(n) ? 0 : Math.round(n * 100); };
  var num = function (v) { var n = parseFloat(v); return isNaN(n) ? 0 : n; };
  var round = function (x) { return Math.sign(x) * Math.round(Math.abs(x)); };
  var money = function (c) {
    var s = (Math.abs(c) / 100).toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return (c < 0 ? '-' : '') + s + ' ' + form.querySelector('#Input_Currency').value;
  };

  function recompute() {
    var subtotal = 0, discounts = 0, net = 0, any = false;
    form.querySelectorAll('.quote-line').forEach(function (row) {
      var pkg = row.querySelector('.line-package');
      var opt = pkg.options[pkg.selectedIndex];
      var unit = row.querySelector('.line-unit');
      var isPackage = !!pkg.value;
      unit.disabled = isPackage;
      if (isPackage) unit.value = opt.getAttribute('data-unit');
      var qty = num(row.querySelector('.line-quantity').value);
      var priceText = row.querySelector('.line-price').value;
      var price = cents(priceText);
      var sub = round(qty * price);
      var dv = num(row.querySelector('.line-discount').value);
      var kind = row.querySelector('.line-discount-kind').value;
      var d = dv > 0 ? (kind === 'amount' ? cents(dv) : round(sub * dv / 100)) : 0;
      any = any || dv > 0;
      subtotal += sub; discounts += d; net += sub - d;
      row.querySelector('.line-total').textContent = (isPackage || priceText) ? money(sub - d) : '—';
      var hint = row.querySelector('.rom-hint');
      if (isPackage && priceText) {
        var low = cents(opt.getAttribute('data-low')), high = cents(opt.getAttribute('data-high'));
        var outside = price < low || price > high;
        hint.textContent = outside ? '(required: the price is outside the ROM range)' : '';
        row.querySelector('.line-justification').required = outside;
      } else { hint.textContent = ''; }
    });
    var qv = num(form.querySelector('#Input_DiscountValue').value);
    var qk = form.querySelector('#Input_DiscountKind').value;
    var qd = qv > 0 ? (qk === 'amount' ? cents(qv) : round(net * qv / 100)) : 0;
    any = any || qv > 0;
    discounts += qd;
    form.querySelector('#quote-subtotal').textContent = money(subtotal);
    form.querySelector('#quote-discount').textContent = money(discounts);
    form.querySelector('#quote-total strong').textContent = money(subtotal - discounts);
    form.querySelector('#approval-note').hidden = !any;
  }

  form.addEventListener('input', recompute);
  form.addEventListener('change', function (e) {
    // Choosing a package proposes the bottom of its ROM range.
    if (e.target.classList.contains('line-package') && e.target.value) {
      var row = e.target.closest('.quote-line');
      var price = row.querySelector('.line-price');
      if (!price.value) price.value = e.target.options[e.target.selectedIndex].getAttribute('data-low');
      var qty = row.querySelector('.line-quantity');
      if (!qty.value) qty.value = '1';
    }
    recompute();
  });
  // A disabled select is not posted; enable units again before sending.
  form.addEventListener('submit', function () { form.querySelectorAll('.line-unit').forEach(function (u) { u.disabled = false; }); });
  recompute();
})();
