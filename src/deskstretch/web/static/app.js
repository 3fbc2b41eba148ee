/* deskstretch pages: small progressive enhancements. Everything works without this file.
 *
 * - The 5-second pain check-in saves in place (JSON API) instead of reloading the page.
 * - A form's error summary takes the focus, so screen readers hear what to fix first.
 */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute("content") : "";
  }

  function chosen(form, name) {
    var input = form.querySelector('input[name="' + name + '"]:checked');
    return input ? parseInt(input.value, 10) : null;
  }

  function say(output, text, link) {
    output.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      output.appendChild(document.createTextNode(" "));
      output.appendChild(a);
    }
  }

  function enhanceCheckin(form) {
    var output = form.querySelector(".checkin-result");
    var button = form.querySelector('button[type="submit"]');
    form.addEventListener("submit", function (event) {
      if (!window.fetch || !output) return; // the plain form post still works
      event.preventDefault();
      var back = chosen(form, "back_pain");
      var leg = chosen(form, "leg_pain");
      if (back === null && leg === null) {
        say(output, "Tap a number for your back or your leg first.");
        return;
      }
      button.disabled = true;
      fetch("/api/checkins", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
        body: JSON.stringify({ back_pain: back, leg_pain: leg })
      })
        .then(function (response) {
          return response.json().then(function (body) {
            return { ok: response.ok, body: body };
          });
        })
        .then(function (result) {
          if (!result.ok) {
            say(output, "Not saved: " + (result.body.detail || "please try again."));
            return;
          }
          var parts = [];
          if (back !== null) parts.push("back " + back + "/10");
          if (leg !== null) parts.push("leg " + leg + "/10");
          var text = "Check-in saved: " + parts.join(", ") + ". Thank you.";
          if (result.body.messages && result.body.messages.length) {
            text += " " + result.body.messages.join(" ");
          }
          var link = result.body.reask_safety_questions
            ? { href: "/safety/recheck", text: "Please answer a few safety questions again." }
            : null;
          say(output, text, link);
          form.reset();
        })
        .catch(function () {
          form.submit(); // offline or the server restarted: fall back to the plain post
        })
        .finally(function () {
          button.disabled = false;
        });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var forms = document.querySelectorAll('form[data-enhance="checkin"]');
    for (var i = 0; i < forms.length; i++) enhanceCheckin(forms[i]);
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  });
})();
