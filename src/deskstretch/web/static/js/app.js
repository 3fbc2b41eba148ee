/* deskstretch pages: small progressive enhancements. Everything works without this file.
 *
 * - The 5-second pain check-in saves in place (JSON API) instead of reloading the page; a
 *   check-in with a problem is posted as a plain form, so the page comes back with the problem
 *   beside its scale (one way of showing problems, the server's).
 * - A form's error summary takes the focus, so screen readers hear what to fix first.
 * A module, so it runs once the page is parsed.
 */

import { postJson, ServerError } from "./lib/http.js";

function chosen(form, name) {
  const input = form.querySelector(`input[name="${name}"]:checked`);
  return input ? parseInt(input.value, 10) : null;
}

function say(output, text, link) {
  output.textContent = text;
  if (link) {
    const a = document.createElement("a");
    a.href = link.href;
    a.textContent = link.text;
    output.append(" ", a);
  }
}

function savedText(back, leg, messages) {
  const parts = [];
  if (back !== null) parts.push(`back ${back}/10`);
  if (leg !== null) parts.push(`leg ${leg}/10`);
  const text = `Check-in saved: ${parts.join(", ")}. Thank you.`;
  return messages && messages.length ? `${text} ${messages.join(" ")}` : text;
}

function enhanceCheckin(form) {
  const output = form.querySelector(".checkin-result");
  const button = form.querySelector('button[type="submit"]');
  form.addEventListener("submit", async (event) => {
    if (!window.fetch || !output) return; // the plain form post still works
    const back = chosen(form, "back_pain");
    const leg = chosen(form, "leg_pain");
    if (back === null && leg === null) return; // the plain post: the page says what is missing
    event.preventDefault();
    button.disabled = true;
    try {
      const body = await postJson("/api/checkins", { back_pain: back, leg_pain: leg });
      const link = body.reask_safety_questions
        ? { href: "/safety/recheck", text: "Please answer a few safety questions again." }
        : null;
      say(output, savedText(back, leg, body.messages), link);
      form.reset();
    } catch (error) {
      if (error instanceof ServerError && error.status !== 422) {
        say(output, `Not saved: ${error.detail || "please try again."}`);
      } else {
        // A problem with a value (422): the plain post shows it beside its scale, the choices
        // kept. Offline, or the server restarted: the plain post tries again.
        form.submit();
      }
    } finally {
      button.disabled = false;
    }
  });
}

for (const form of document.querySelectorAll('form[data-enhance="checkin"]')) enhanceCheckin(form);
const summary = document.querySelector(".error-summary");
if (summary) summary.focus();
