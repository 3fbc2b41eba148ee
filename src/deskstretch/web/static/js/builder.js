/* The routine builder: small enhancements. The page works fully without this file.
 *
 * - After a button re-renders the page, the focus returns to where the person was (the moved
 *   step's button, the added step, the list of steps).
 * - The length (and the id made from the name) update as the person types, from the server's
 *   own calculation (POST /routines/preview), so they always match the player.
 */

import { post } from "./lib/http.js";

function restoreFocus(form) {
  const id = form.getAttribute("data-focus");
  if (!id) return;
  let target = document.getElementById(id);
  if (target && target.disabled) {
    target = document.getElementById(id.replace(/-(up|down)$/, "-title"));
  }
  if (target) {
    target.focus();
    target.scrollIntoView({ block: "center" });
  }
}

function liveLength(form) {
  const totals = document.querySelectorAll("[data-total]");
  const note = document.getElementById("builder-length-note");
  const update = document.querySelector(".builder-update");
  const idHint = document.getElementById("id-hint");
  let timer = null;
  let asked = 0;
  if (!totals.length || !note || !window.fetch || !window.FormData) return;
  if (update) update.hidden = true; // the length follows the typing instead

  async function refresh() {
    const ticket = ++asked;
    const body = new FormData(form);
    body.delete("action");
    try {
      const response = await post("/routines/preview", body, { accept: "application/json" });
      const result = response.ok ? await response.json() : null;
      if (!result || ticket !== asked) return; // an older answer arriving late
      for (const total of totals) total.textContent = result.total;
      note.textContent = result.note;
      note.classList.toggle("is-warning", !result.in_range);
      if (idHint) idHint.textContent = result.id_hint;
    } catch {
      /* the "Update the length" button still works */
    }
  }

  form.addEventListener("input", () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 300);
  });
}

const form = document.getElementById("builder");
if (form) {
  restoreFocus(form);
  liveLength(form);
}
