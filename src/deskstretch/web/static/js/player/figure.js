/* The animated figure: loads an exercise's SVG keyframes (/figures/<id>/<k>.svg), tweens between
 * them, and poseAt() says where in those keyframes the figure is at a moment of a segment.
 * Nothing runs on import and poseAt touches no DOM, so node's tests can import this file.
 */

import { WORK } from "./core.js";

const EASE_IN_SECONDS = 2;
const NUMBER = /-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;
const FIXED = /^(aria-|role$|class$|id$|width$|height$|focusable$)/;

function withDescendants(element) {
  return [element, ...element.querySelectorAll("*")];
}

function removeTitles(element) {
  for (const title of element.querySelectorAll("title")) title.remove();
}

/* Keyframes of one exercise share their element structure (figures.py promises it), so pairing
 * elements by document order and numbers by position inside each attribute is enough to tween
 * between poses. Attributes whose shape differs are switched at the halfway point. */
export class Figure {
  constructor(svgTexts) {
    const parser = new DOMParser();
    const docs = svgTexts.map(
      (text) => parser.parseFromString(text, "image/svg+xml").documentElement,
    );
    this.count = docs.length;
    this.svg = document.importNode(docs[0], true);
    // The page labels the figure once; a stale per-keyframe title or label would mislead.
    for (const name of ["aria-label", "role", "width", "height"]) this.svg.removeAttribute(name);
    removeTitles(this.svg);
    docs.forEach(removeTitles);
    this.svg.setAttribute("aria-hidden", "true");
    this.svg.setAttribute("focusable", "false");
    const frames = docs.map(withDescendants);
    this.tracks = [];
    withDescendants(this.svg).forEach((el, i) => {
      for (const attr of el.attributes) {
        if (FIXED.test(attr.name)) continue;
        const values = frames.map((f) => (f[i] ? f[i].getAttribute(attr.name) : null));
        if (values.every((v) => v === values[0])) continue;
        const nums = values.map((v) => (v || "").match(NUMBER) || []);
        const parts = (values[0] || "").split(NUMBER);
        const same = nums.every((n) => n.length === nums[0].length);
        this.tracks.push({
          el, name: attr.name, values, parts,
          nums: same ? nums.map((n) => n.map(Number)) : null,
        });
      }
    });
    this.shown = -1;
  }

  /** Show the pose at keyframe position ``t`` (0 .. count-1, fractions tween). */
  pose(t) {
    t = Math.max(0, Math.min(this.count - 1, t));
    if (Math.abs(t - this.shown) < 1e-4) return;
    this.shown = t;
    let k = Math.min(Math.floor(t), this.count - 2);
    const f = this.count > 1 ? t - k : 0;
    if (this.count === 1) k = 0;
    for (const track of this.tracks) {
      let value;
      // Whole keyframes (and shapes that cannot tween) show the keyframe's own text exactly.
      if (!track.nums || f === 0 || f === 1 || this.count === 1) {
        value = track.values[f >= 0.5 ? k + 1 : k];
      } else {
        const a = track.nums[k];
        const b = track.nums[k + 1];
        value = track.parts[0];
        for (let j = 0; j < a.length; j += 1) {
          value += trim(a[j] + (b[j] - a[j]) * f) + track.parts[j + 1];
        }
      }
      if (value !== null) track.el.setAttribute(track.name, value);
    }
  }
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.text();
}

/** The Figure of one exercise, or null when a keyframe cannot be loaded (the page plays on). */
export function loadFigure(exerciseId, keyframes) {
  const urls = [];
  for (let k = 0; k < keyframes; k += 1) {
    urls.push(`/figures/${encodeURIComponent(exerciseId)}/${k}.svg`);
  }
  return Promise.all(urls.map(fetchText)).then((texts) => new Figure(texts), () => null);
}

function trim(x) {
  return String(Math.round(x * 100) / 100);
}

function smooth(x) {
  const clamped = Math.max(0, Math.min(1, x));
  return (1 - Math.cos(Math.PI * clamped)) / 2;
}

/** Where in the keyframes the figure is, ``elapsed`` seconds into ``segment`` (whole poses only
 * when ``still``: the person asked for reduced motion). */
export function poseAt(segment, previous, step, elapsed, still) {
  const last = step.keyframes - 1;
  const holdOn = Math.min(step.hold_on, last);
  const ease = Math.min(EASE_IN_SECONDS, segment.duration_seconds / 2);
  const kind = segment.kind;
  if (kind === "reps") {
    const rep = segment.rep_seconds > 0 ? segment.rep_seconds : 1;
    const phase = (elapsed % rep) / rep;
    // One rep: start pose -> end pose -> start pose.
    if (still) return phase < 0.5 ? 0 : last;
    return last * (1 - Math.cos(2 * Math.PI * phase)) / 2;
  }
  if (kind === "hold" || kind === "contract") {
    const already = previous && previous.step_index === segment.step_index &&
      previous.kind === "contract" && previous.side === segment.side;
    if (still || already) return holdOn;
    return holdOn * smooth(elapsed / ease);
  }
  if (kind === "rest" && previous && WORK[previous.kind] && !still) {
    return holdOn * (1 - smooth(elapsed / Math.min(1.5, segment.duration_seconds)));
  }
  return 0;
}
