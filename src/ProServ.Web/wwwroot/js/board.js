// The board's lazy columns, drag and drop (SortableJS) and keyboard moves, posted with htmx. A column shows its first cards;
// its next ones are fetched when its last card scrolls into view or its "Load more" link is used. Without script the link
// shows the board with more cards per column, and every card keeps its Move link.
(function () {
  var board = document.getElementById('board');
  if (!board) return;
  var boardId = board.getAttribute('data-board');
  var canMove = board.getAttribute('data-can-move') === 'true';
  var focusAfterSwap = null;
  var observer = null;

  // Cards shown in the longest column: a move re-renders the columns with at least that many, so what was loaded stays.
  function shown() {
    var most = 0;
    board.querySelectorAll('ol.cards').forEach(function (list) { most = Math.max(most, list.children.length); });
    return most;
  }

  function more(section) {
    var link = section.querySelector('a.load-more');
    var list = section.querySelector('ol.cards');
    if (!link || !list || link.getAttribute('aria-busy') === 'true') return;
    var last = list.lastElementChild;
    var url = link.getAttribute('data-src') + (last ? '&after=' + encodeURIComponent(last.getAttribute('data-id')) : '');
    link.setAttribute('aria-busy', 'true');
    fetch(url, { headers: { 'Accept': 'text/html' }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok) throw new Error('status ' + response.status);
        return response.text();
      })
      .then(function (html) {
        var template = document.createElement('template');
        template.innerHTML = html;
        var page = template.content.querySelector('ol');
        if (!page) throw new Error('no cards in the answer');
        var seen = {};
        list.querySelectorAll('li.board-card').forEach(function (li) { seen[li.getAttribute('data-id')] = true; });
        Array.prototype.slice.call(page.children).forEach(function (li) {
          if (!seen[li.getAttribute('data-id')]) list.appendChild(li);
        });
        var total = page.getAttribute('data-total');
        var status = section.querySelector('.column-more .shown');
        var count = section.querySelector('.column-head .count');
        if (count && total) { count.textContent = total; count.setAttribute('aria-label', total + ' cards'); }
        if (!page.getAttribute('data-after')) {
          var footer = section.querySelector('.column-more');
          if (status) status.textContent = 'All ' + list.children.length + ' cards shown';
          if (link === document.activeElement && list.lastElementChild) list.lastElementChild.focus();
          link.remove();
          if (footer) footer.classList.add('done');
        } else {
          if (status) status.textContent = 'Showing ' + list.children.length + ' of ' + total;
          link.removeAttribute('aria-busy');
          watch(section);
        }
      })
      .catch(function () {
        link.removeAttribute('aria-busy');
        var status = section.querySelector('.column-more .shown');
        if (status) status.textContent = 'More cards could not be loaded; reload the board.';
      });
  }

  // Loads a column's next cards when its last card scrolls into view inside the column.
  function watch(section) {
    if (!('IntersectionObserver' in window)) return;
    var list = section.querySelector('ol.cards');
    if (!list || !list.lastElementChild || !section.querySelector('a.load-more')) return;
    if (!observer) {
      observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          if (!entry.isIntersecting) return;
          observer.unobserve(entry.target);
          var column = entry.target.closest('section.board-column');
          if (column) more(column);
        });
      });
    }
    observer.observe(list.lastElementChild);
  }

  function lazy() {
    if (observer) { observer.disconnect(); observer = null; }
    board.querySelectorAll('section.board-column').forEach(watch);
  }

  board.addEventListener('click', function (e) {
    var link = e.target.closest && e.target.closest('a.load-more');
    if (!link || !board.contains(link)) return;
    e.preventDefault();
    more(link.closest('section.board-column'));
  });

  function move(issueId, toColumn, position) {
    if (!window.htmx) return;
    focusAfterSwap = issueId;
    var token = JSON.parse(board.getAttribute('hx-headers') || '{}').RequestVerificationToken;
    window.htmx.ajax('POST', '/board/' + boardId + '?handler=Move', {
      source: board,
      target: '#board-columns',
      swap: 'outerHTML',
      values: { issueId: issueId, toColumn: toColumn, position: position, show: shown() },
      headers: { 'RequestVerificationToken': token }
    });
  }

  function wire() {
    lazy();
    if (!canMove) return;
    if (window.Sortable) {
      board.querySelectorAll('ol.cards').forEach(function (list) {
        window.Sortable.create(list, {
          group: 'board-' + boardId,
          animation: 120,
          filter: 'a, button',
          preventOnFilter: false,
          onEnd: function (e) {
            if (e.from === e.to && e.oldIndex === e.newIndex) return;
            move(e.item.getAttribute('data-id'), e.to.getAttribute('data-column'), e.newIndex);
          }
        });
      });
    }
    if (focusAfterSwap) {
      var card = board.querySelector('li.board-card[data-id="' + focusAfterSwap + '"]');
      if (card) card.focus();
      focusAfterSwap = null;
    }
  }

  // Alt+arrows on a focused card: left/right to the neighbouring column (top), up/down within the column.
  board.addEventListener('keydown', function (e) {
    if (!canMove || !e.altKey || !window.htmx) return;
    var card = e.target.closest && e.target.closest('li.board-card');
    if (!card || e.target !== card) return;
    var list = card.parentElement;
    var lists = Array.prototype.slice.call(board.querySelectorAll('ol.cards'));
    var col = lists.indexOf(list);
    var index = Array.prototype.indexOf.call(list.children, card);
    var id = card.getAttribute('data-id');
    if (e.key === 'ArrowLeft' && col > 0) move(id, lists[col - 1].getAttribute('data-column'), 0);
    else if (e.key === 'ArrowRight' && col < lists.length - 1) move(id, lists[col + 1].getAttribute('data-column'), 0);
    else if (e.key === 'ArrowUp' && index > 0) move(id, list.getAttribute('data-column'), index - 1);
    else if (e.key === 'ArrowDown' && index < list.children.length - 1) move(id, list.getAttribute('data-column'), index + 1);
    else return;
    e.preventDefault();
  });

  document.body.addEventListener('htmx:afterSettle', wire);
  // A refusal or an error answer still replaces the columns, so the card shows where the server has it.
  document.body.addEventListener('htmx:beforeSwap', function (e) {
    if (e.detail.xhr.status === 422 || e.detail.xhr.status === 409) { e.detail.shouldSwap = true; e.detail.isError = false; }
  });
  wire();
})();
