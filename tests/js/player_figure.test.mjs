// Where the figure is in its keyframes (static/js/player/figure.js poseAt): the easing into a
// hold, the back-and-forth of a rep, and whole poses only when the person asks for less motion.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { poseAt } from "../../src/deskstretch/web/static/js/player/figure.js";

const STEP = { keyframes: 3, hold_on: 2 }; // poses 0, 1, 2; the stretch is held on pose 2
const REPS = { kind: "reps", step_index: 0, side: "both", duration_seconds: 8, rep_seconds: 2 };
const HOLD = { kind: "hold", step_index: 0, side: "left", duration_seconds: 10 };
const CONTRACT = { kind: "contract", step_index: 0, side: "left", duration_seconds: 5 };
const REST = { kind: "rest", step_index: 0, side: "both", duration_seconds: 10 };

function close(actual, expected) {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} is not ${expected}`);
}

describe("poseAt", () => {
  it("a rep goes from the first pose to the last and back", () => {
    close(poseAt(REPS, null, STEP, 0, false), 0);
    close(poseAt(REPS, null, STEP, 0.5, false), 1);
    close(poseAt(REPS, null, STEP, 1, false), 2);
    close(poseAt(REPS, null, STEP, 2, false), 0);
    close(poseAt(REPS, null, STEP, 3, false), 2); // the second rep
  });

  it("with reduced motion a rep shows whole poses only, switched at half a rep", () => {
    assert.equal(poseAt(REPS, null, STEP, 0.9, true), 0);
    assert.equal(poseAt(REPS, null, STEP, 1.1, true), 2);
    assert.equal(poseAt(REPS, null, STEP, 2.1, true), 0);
  });

  it("a hold eases into the held pose over its first 2 seconds, then stays", () => {
    close(poseAt(HOLD, null, STEP, 0, false), 0);
    close(poseAt(HOLD, null, STEP, 1, false), 1);
    close(poseAt(HOLD, null, STEP, 2, false), 2);
    close(poseAt(HOLD, null, STEP, 9, false), 2);
    assert.equal(poseAt(HOLD, null, STEP, 0, true), 2, "reduced motion: straight to the pose");
  });

  it("a hold right after a contraction on the same side is already in the pose", () => {
    assert.equal(poseAt(HOLD, CONTRACT, STEP, 0, false), 2);
    const otherSide = { ...CONTRACT, side: "right" };
    close(poseAt(HOLD, otherSide, STEP, 0, false), 0);
  });

  it("a rest after work eases back to the start pose; other segments stand still", () => {
    close(poseAt(REST, HOLD, STEP, 0, false), 2);
    close(poseAt(REST, HOLD, STEP, 0.75, false), 1);
    close(poseAt(REST, HOLD, STEP, 1.5, false), 0);
    assert.equal(poseAt(REST, HOLD, STEP, 0, true), 0);
    assert.equal(poseAt({ ...REST, kind: "get_ready" }, null, STEP, 0, false), 0);
  });

  it("the held pose is never past the last keyframe", () => {
    assert.equal(poseAt(HOLD, null, { keyframes: 2, hold_on: 5 }, 0, true), 1);
  });
});
