/* The routine builder: small enhancements. The page works fully without this file.
 *
 * - After a button re-renders the page, the focus returns to where the person was (the moved
 *   step's button, the added step, the list of steps).
 * - The length (and the id made from the name) update as the person types, from the server's
 *   own calculation (POST /routines/preview), so they always match the player.
 */
(function () {
  "use strict";

  function restoreFocus(form) {
    var id = form.getAttribute("data-focus");
    if (!id) return;
    var target = document.getElementById(id);
    if (target && target.disabled) {
      target = document.getElementById(id.replace(/-(up|down)$/, "-title"));
    }
    if (target) {
      target.focus();
      target.scrollIntoView({ block: "center" });
    }
  }

  function liveLength(form) {
    var totals = document.querySelectorAll("[data-total]");
    var note = document.getElementById("builder-length-note");
    var update = document.querySelector(".builder-update");
    var idHint = document.getElementById("id-hint");
    var timer = null;
    var asked = 0;
    if (!totals.length || !note || !window.fetch || !window.FormData) return;
    if (update) update.hidden = true; // the length follows the typing instead

    function refresh() {
      var ticket = ++asked;
      var body = new FormData(form);
      body.delete("action");
      fetch("/routines/preview", {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        body: body
      })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (result) {
          if (!result || ticket !== asked) return; // an older answer arriving late
          for (var i = 0; i < totals.length; i++) totals[i].textContent = result.total;
          note.textContent = result.note;
          note.classList.toggle("is-warning", !result.in_range);
          if (idHint) idHint.textContent = result.id_hint;
        })
        .catch(function () {
          /* the "Update the length" button still works */
        });
    }

    form.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(refresh, 300);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("builder");
    if (!form) return;
    restoreFocus(form);
    liveLength(form);
  });
})();
