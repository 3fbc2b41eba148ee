/* The exercise page's figure: the held pose drawn by the server comes alive, moving from the
 * first pose to the held one, staying there a moment, and back. It starts by itself unless the
 * person asked for reduced motion; a button pauses and restarts it (WCAG 2.2.2). */

import { loadFigure } from "./player/figure.js";

const RAMP_SECONDS = 2.5;
const HOLD_SECONDS = 2;
const REST_SECONDS = 1;
const CYCLE_SECONDS = 2 * RAMP_SECONDS + HOLD_SECONDS + REST_SECONDS;

function smooth(x) {
  return (1 - Math.cos(Math.PI * Math.max(0, Math.min(1, x)))) / 2;
}

/** Keyframe position (0 .. holdOn) ``seconds`` into the endless cycle. */
export function cyclePose(seconds, holdOn) {
  const t = ((seconds % CYCLE_SECONDS) + CYCLE_SECONDS) % CYCLE_SECONDS;
  if (t < RAMP_SECONDS) return holdOn * smooth(t / RAMP_SECONDS);
  if (t < RAMP_SECONDS + HOLD_SECONDS) return holdOn;
  const back = t - RAMP_SECONDS - HOLD_SECONDS;
  if (back < RAMP_SECONDS) return holdOn * (1 - smooth(back / RAMP_SECONDS));
  return 0;
}

function start(stage) {
  const holder = stage.querySelector(".ex-stage-figure");
  const toggle = document.getElementById("exercise-figure-toggle");
  const keyframes = Number(stage.dataset.keyframes);
  const holdOn = Number(stage.dataset.holdOn);
  const still = window.matchMedia("(prefers-reduced-motion: reduce)");
  loadFigure(stage.dataset.exerciseId, keyframes).then((figure) => {
    if (!figure || !holder || !toggle) return;
    let playing = !still.matches;
    let origin = performance.now();
    let offset = playing ? 0 : RAMP_SECONDS;
    figure.pose(cyclePose(offset, holdOn));
    holder.replaceChildren(figure.svg);
    const label = () => {
      toggle.textContent = playing ? "Pause the figure" : "Play the figure";
    };
    const frame = (now) => {
      if (!playing) return;
      figure.pose(cyclePose(offset + (now - origin) / 1000, holdOn));
      requestAnimationFrame(frame);
    };
    toggle.addEventListener("click", () => {
      const now = performance.now();
      if (playing) offset += (now - origin) / 1000;
      origin = now;
      playing = !playing;
      label();
      if (playing) requestAnimationFrame(frame);
    });
    label();
    toggle.hidden = false;
    if (playing) requestAnimationFrame(frame);
  });
}

const stage = typeof document === "undefined" ? null : document.getElementById("exercise-figure");
if (stage) start(stage);
