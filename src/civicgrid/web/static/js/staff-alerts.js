// The alert board refreshes itself: every data-interval ms it fetches the board part again
// and swaps it in, unless the page is hidden or someone is using a control on the board.
(function () {
  "use strict";
  var board = document.getElementById("alert-board");
  if (!board || !window.fetch) { return; }
  var url = board.getAttribute("data-refresh");
  var every = parseInt(board.getAttribute("data-interval"), 10) || 15000;

  function busy() {
    var active = document.activeElement;
    return document.hidden || (active && active !== document.body && board.contains(active));
  }

  function refresh() {
    if (busy()) { return; }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (answer) {
        // A lapsed session redirects to the sign-in page: keep the board as it is.
        if (!answer.ok || answer.redirected) { return null; }
        return answer.text();
      })
      .then(function (html) {
        if (!html || busy()) { return; }
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#alert-board");
        if (fresh) {
          board.replaceWith(fresh);
          board = fresh;
        }
      })
      .catch(function () { /* offline for a moment: try again next time */ });
  }

  window.setInterval(refresh, every);
})();
