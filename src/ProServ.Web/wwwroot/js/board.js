// The board's drag and drop (SortableJS) and keyboard moves, posted with htmx. Without these libraries every card keeps
// its Move link, which works without script.
(function () {
  var board = document.getElementById('board');
  if (!board || board.getAttribute('data-can-move') !== 'true') return;
  var boardId = board.getAttribute('data-board');
  var focusAfterSwap = null;

  function move(issueId, toColumn, position) {
    if (!window.htmx) return;
    focusAfterSwap = issueId;
    var token = JSON.parse(board.getAttribute('hx-headers') || '{}').RequestVerificationToken;
    window.htmx.ajax('POST', '/board/' + boardId + '?handler=Move', {
      source: board,
      target: '#board-columns',
      swap: 'outerHTML',
      values: { issueId: issueId, toColumn: toColumn, position: position },
      headers: { 'RequestVerificationToken': token }
    });
  }

  function wire() {
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
    if (!e.altKey || !window.htmx) return;
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
