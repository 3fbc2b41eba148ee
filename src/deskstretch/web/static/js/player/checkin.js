/* The player's check-in forms: the pain scores before and after a routine, and the cauda equina
 * questions asked again when leg pain is reported (the server decides; this only asks and posts).
 */

import { postJson } from "../lib/http.js";

/** The scores chosen in ``form`` (null where none), or none at all when the person pressed
 * the form's "skip" button. */
export function readScores(form, submitter) {
  if (submitter && submitter.value === "skip") return { back_pain: null, leg_pain: null };
  const value = (name) => {
    const checked = form.querySelector(`input[name="${name}"]:checked`);
    return checked ? Number(checked.value) : null;
  };
  return { back_pain: value("back_pain"), leg_pain: value("leg_pain") };
}

/** Wait for the questions in ``form`` to be answered and post them; resolves with the server's
 * verdict ({routines_allowed, advice}). ``showError(text)`` says what is missing ("" clears). */
export function askCaudaEquina(form, showError) {
  return new Promise((resolve, reject) => {
    function submit(event) {
      event.preventDefault();
      const answers = {};
      const missing = [];
      for (const fieldset of form.querySelectorAll("fieldset[data-question]")) {
        const id = fieldset.getAttribute("data-question");
        const checked = fieldset.querySelector("input:checked");
        if (checked) answers[id] = checked.value === "yes";
        else missing.push(fieldset.querySelector("legend").textContent);
      }
      // One "yes" is enough to act on: the rest may stay unanswered.
      if (missing.length && !Object.values(answers).some(Boolean)) {
        showError("Please answer every question (yes or no).");
        return;
      }
      showError("");
      form.removeEventListener("submit", submit);
      postJson("/api/safety/cauda-equina", { answers }).then(resolve, reject);
    }
    form.addEventListener("submit", submit);
  });
}
