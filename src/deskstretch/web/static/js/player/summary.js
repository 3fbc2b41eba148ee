/* The player's last screen: what was done, step by step and by side, and what was saved (the
 * server's complete-or-partial rule, worked out by core.js's shareDone).
 */

import { formatDuration } from "./core.js";

function summaryRow(s, plan) {
  const row = document.createElement("tr");
  const name = document.createElement("th");
  name.scope = "row";
  name.textContent = plan.steps[s.step_index].name;
  const done = document.createElement("td");
  done.textContent = s.skipped ? "skipped" :
    formatDuration(s.done_seconds) + (s.completed ? "" : " (part)");
  const sides = document.createElement("td");
  const parts = [];
  if (s.seconds_left >= 1) parts.push(`left ${formatDuration(s.seconds_left)}`);
  if (s.seconds_right >= 1) parts.push(`right ${formatDuration(s.seconds_right)}`);
  sides.textContent = parts.join(", ");
  row.append(name, done, sides);
  return row;
}

/** Fill the summary stage from ``result`` ({steps, status, share, complete}) and the ``plan``;
 * ``messages`` come from the check-ins, ``saveProblem`` from the finish call ("" when saved). */
export function renderSummary(result, plan, messages, saveProblem) {
  const byId = (id) => document.getElementById(id);
  byId("summary-title").textContent = result.complete ? "Routine complete. Well done." :
    result.status === "completed" ? "Routine finished, partly done." :
      "Stopped early. That still counts.";
  byId("summary-rows").replaceChildren(...result.steps.map((s) => summaryRow(s, plan)));
  const doneSeconds = result.steps.reduce((sum, s) => sum + s.done_seconds, 0);
  const doneSteps = result.steps.filter((s) => !s.skipped).length;
  const percent = Math.floor(result.share * 100);
  byId("summary-totals").textContent = `${doneSteps} of ${result.steps.length} exercises, ` +
    `${formatDuration(doneSeconds)} of movement (planned ${formatDuration(plan.work_seconds)}). ` +
    (result.complete ? "Saved as complete: " : "Saved as partial: ") +
    `${percent}% of the planned holds and moves done; complete needs ` +
    `${Math.round(plan.complete_share * 100)}%.`;
  const list = byId("summary-messages");
  list.replaceChildren(...messages.map((message) => {
    const item = document.createElement("li");
    item.textContent = message;
    return item;
  }));
  list.hidden = !messages.length;
  const problem = byId("summary-problem");
  problem.textContent = saveProblem ? `This session could not be saved: ${saveProblem}` : "";
  problem.hidden = !saveProblem;
}
