// The exercise page's figure cycle (static/js/exercise.js cyclePose): from the first pose to the
// held one, a pause there, back, a rest, and again.
import assert from "node:assert/strict";
import { describe, it } from "node:test";

import { cyclePose } from "../../src/deskstretch/web/static/js/exercise.js";

function close(actual, expected) {
  assert.ok(Math.abs(actual - expected) < 1e-9, `${actual} is not ${expected}`);
}

describe("cyclePose", () => {
  it("eases from the first pose to the held one", () => {
    close(cyclePose(0, 2), 0);
    close(cyclePose(1.25, 2), 1);
    close(cyclePose(2.5, 2), 2);
  });

  it("stays on the held pose, then eases back and rests", () => {
    close(cyclePose(3.5, 2), 2);
    close(cyclePose(4.5, 2), 2);
    close(cyclePose(5.75, 2), 1);
    close(cyclePose(7.2, 2), 0);
  });

  it("repeats every eight seconds", () => {
    close(cyclePose(9.25, 1), cyclePose(1.25, 1));
    close(cyclePose(8 * 5 + 3, 3), 3);
  });
});
