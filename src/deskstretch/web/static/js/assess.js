/* The photo upload (/assess): small enhancements. The page works fully without this file; the
 * server checks everything again.
 *
 * - Too many photos, or one over the size limit, is said beside the field as soon as it is
 *   chosen, and the form is not sent (no waiting for a large upload to be refused).
 * - While the photos are measured, a status line says so and the button cannot be pressed twice.
 */

function megabytes(bytes) {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function problemWith(input, maxPhotos, maxBytes) {
  const files = Array.from(input.files || []);
  if (files.length > maxPhotos) {
    return `Choose at most ${maxPhotos} photos (you chose ${files.length}).`;
  }
  const big = files.find((file) => file.size > maxBytes);
  if (big) {
    return `${big.name}: the photo is ${megabytes(big.size)}; photos up to ${megabytes(maxBytes)} are accepted. Choose a smaller copy.`;
  }
  return "";
}

function setUp(form) {
  const input = form.querySelector("#photos");
  const said = form.querySelector("#photos-check");
  const status = form.querySelector("#assess-status");
  const button = form.querySelector("button[type=submit]");
  const maxPhotos = Number(form.dataset.maxPhotos);
  const maxBytes = Number(form.dataset.maxBytes);
  if (!input || !said) return;

  const check = () => {
    const problem = problemWith(input, maxPhotos, maxBytes);
    said.textContent = problem;
    said.hidden = !problem;
    if (problem) input.setAttribute("aria-invalid", "true");
    else if (!form.querySelector("#photos-problem")) input.removeAttribute("aria-invalid");
    return problem;
  };
  input.addEventListener("change", check);
  form.addEventListener("submit", (event) => {
    if (check()) {
      event.preventDefault();
      input.focus();
      return;
    }
    if (status) status.textContent = "Measuring your photos on this computer: this takes a few seconds.";
    if (button) {
      // Disabled after the submission has started, so the button's value still goes with it.
      setTimeout(() => { button.disabled = true; }, 0);
    }
  });
  // Coming back to the page (the back button) must not leave the button disabled.
  window.addEventListener("pageshow", () => {
    if (button) button.disabled = false;
    if (status) status.textContent = "";
  });
}

const form = document.getElementById("assess-form");
if (form) setUp(form);
