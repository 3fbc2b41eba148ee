/* The player page (/play/<routine>), the entry module of player.html: moves between its stages
 * (check-in, playing, after, summary), runs the loop that advances core.js's Player, and draws
 * each frame. The rules live in core.js; the figure, media, check-in and summary modules do the
 * rest. No inline script anywhere: the page's CSP forbids it. Over 400 lines: one closure over
 * the page's state (session, player, timers), which smaller modules would have to pass around.
 */

import { postJson } from "../lib/http.js";
import { CameraPanel } from "./camera.js";
import { askCaudaEquina, readScores } from "./checkin.js";
import { describeNext, formatClock, formatDuration, Player, shareDone, WORK } from "./core.js";
import { loadFigure, poseAt } from "./figure.js";
import { ScreenWake, Sound } from "./media.js";
import { renderSummary } from "./summary.js";

// For the browser tests, which play scripted commands through it and compare with Python's.
window.deskstretchPlayer = Player;

const playerRoot = document.getElementById("player");
if (playerRoot) start(playerRoot);

function $(id) {
  return document.getElementById(id);
}

const PAUSE_ICON = "M7 5h4v14H7zM13 5h4v14h-4z";
const PLAY_ICON = "M8 5v14l11-7z";

function setText(id, text) {
  const el = $(id);
  if (el && el.textContent !== text) el.textContent = text;
}

function showError(id, text) {
  const el = $(id);
  el.textContent = text;
  el.hidden = !text;
}

function setBusy(form, busy) {
  for (const button of form.querySelectorAll("button")) button.disabled = busy;
}

function clock() {
  return performance.now() / 1000;
}

function start(root) {
  const sound = new Sound({
    voice: root.getAttribute("data-voice") === "true",
    bell: root.getAttribute("data-bell") === "true",
    speech: root.getAttribute("data-speech") === "true",
  });
  const wake = new ScreenWake();
  const state = {
    plan: null,
    sessionId: null,
    player: null,
    timer: 0,
    frame: 0,
    figures: {},
    figure: null,
    ended: false,
    wasPlaying: false,
    messages: [],
    result: null,
    saveProblem: "",
    saving: Promise.resolve(), // progress posts still on their way (finish waits for them)
  };
  const stillQuery = window.matchMedia("(prefers-reduced-motion: reduce)");
  // Camera coaching (opt-in): its hold gate stops the hold clock while the position is not right.
  const camera = new CameraPanel(root, {
    segment: () => (state.player && !state.ended && state.player.status !== "finished"
      ? state.player.segments[state.player.index()] || null : null),
    segments: () => (state.plan ? state.plan.segments : []),
    hold: (on) => gateClock(on),
    speak: (text) => sound.speak(text),
  });
  window.deskstretchCamera = camera.coach; // for the browser tests: the tracks it released

  function show(stage) {
    for (const el of root.querySelectorAll("[data-stage]")) {
      el.hidden = el.getAttribute("data-stage") !== stage;
    }
    const heading = root.querySelector(`[data-stage="${stage}"] [data-focus]`);
    if (heading) heading.focus();
  }

  function announce(text) {
    $("player-status").textContent = text;
  }

  // ----- check-ins -------------------------------------------------------------------------------

  /* Post a check-in; resolves true when the person may carry on, false when a safety stop. */
  async function sendCheckin(context, scores) {
    if (scores.back_pain === null && scores.leg_pain === null) return true;
    const body = { context, back_pain: scores.back_pain, leg_pain: scores.leg_pain };
    const result = await postJson(`/api/sessions/${state.sessionId}/checkin`, body);
    state.messages = state.messages.concat(result.messages || []);
    if (result.reask_cauda_equina) return recheckCaudaEquina();
    return true;
  }

  async function recheckCaudaEquina() {
    show("cauda");
    const verdict = await askCaudaEquina($("cauda-form"), (text) => showError("cauda-error", text));
    if (verdict.routines_allowed) {
      state.messages.push("Thank you. Nothing there needs urgent attention.");
      return true;
    }
    stopForSafety(verdict.advice);
    return false;
  }

  function stopForSafety(advice) {
    finishTimers();
    setText("safety-advice", advice);
    show("stopped");
  }

  async function beginRoutine(event) {
    event.preventDefault();
    const form = $("before-form");
    sound.unlock();
    await openSession(readScores(form, event.submitter));
  }

  /* A reminder's Start opens /play/<id>?start=1: the routine starts without the check-in. The
   * address loses ``start`` so that a reload does not start it again. Without a click first,
   * browsers may keep the bell and voice silent; the captions and the countdown still run. */
  function autostart() {
    const url = new URL(window.location.href);
    url.searchParams.delete("start");
    window.history.replaceState(window.history.state, "", url.pathname + url.search + url.hash);
    openSession({ back_pain: null, leg_pain: null });
  }

  async function openSession(scores) {
    const form = $("before-form");
    setBusy(form, true);
    showError("before-error", "");
    try {
      const started = await postJson("/api/sessions", {
        routine_id: root.getAttribute("data-routine-id"),
      });
      state.sessionId = started.session_id;
      state.plan = started.plan;
      if (await sendCheckin("before", scores)) startPlaying();
    } catch (error) {
      show("before");
      showError("before-error", `Could not start: ${error.message}`);
    }
    setBusy(form, false);
  }

  function afterCheckin(event) {
    event.preventDefault();
    const form = $("after-form");
    const scores = readScores(form, event.submitter);
    setBusy(form, true);
    sendCheckin("after", scores).then((carryOn) => {
      if (carryOn) showSummary();
    }, (error) => {
      showError("after-error", `Could not save the check-in: ${error.message}`);
      setBusy(form, false);
    });
  }

  // ----- playing ---------------------------------------------------------------------------------

  function startPlaying() {
    const plan = state.plan;
    preloadFigures(plan.steps);
    state.player = new Player(plan.segments, plan.steps, clock(), plan.back_restart_seconds);
    show("play");
    wake.want(true);
    tick();
  }

  function tick() {
    const player = state.player;
    if (!player || state.ended) return;
    const now = clock();
    const events = player.advance(now);
    handle(events);
    if (state.ended) return;
    if (events.length) record();
    draw(now);
    schedule(now);
  }

  /* Wake at the next segment boundary or when the shown second changes (as next_wake in
   * cli/playback.py); animation frames add smooth drawing while the tab is visible. */
  function schedule(now) {
    clearTimeout(state.timer);
    cancelAnimationFrame(state.frame);
    const player = state.player;
    const deadline = player.nextDeadline();
    if (deadline === null || state.ended) return;
    const remaining = player.view(now).remaining;
    let step = remaining > 0 ? remaining - Math.floor(remaining) : 0;
    if (step <= 1e-6) step = 1;
    const wakeAt = Math.min(deadline, now + step);
    state.timer = setTimeout(tick, Math.max(0, (wakeAt - now) * 1000) + 1);
    if (document.visibilityState === "visible") {
      state.frame = requestAnimationFrame(frame);
    }
  }

  function frame() {
    const player = state.player;
    if (!player || state.ended || player.status !== "playing") return;
    const now = clock();
    const events = player.advance(now);
    if (events.length) {
      handle(events);
      if (state.ended) return;
      record();
    }
    draw(now);
    state.frame = requestAnimationFrame(frame);
  }

  function command(name) {
    const player = state.player;
    if (!player || state.ended) return;
    const now = clock();
    const before = player.status;
    const events = player[name](now);
    handle(events);
    if (!state.ended && events.length) record();
    if (name === "togglePause" && before !== player.status) {
      announce(player.status === "paused" ? "Paused" : "Playing");
    }
    draw(now);
    schedule(now);
  }

  /* The camera's gate: stop the hold clock (``hold``) or let it count again. */
  function gateClock(hold) {
    const player = state.player;
    if (!player || state.ended) return;
    const now = clock();
    const events = hold ? player.hold(now) : player.release(now);
    if (!events.length) return;
    handle(events);
    if (state.ended) return;
    if (events.some((e) => e.kind === "segment_started")) record();
    draw(now);
    schedule(now);
  }

  function handle(events) {
    for (const event of events) {
      if (event.kind === "held" || event.kind === "released") {
        root.classList.toggle("is-held", event.kind === "held");
      } else if (event.kind === "segment_started") {
        enterSegment(event.segment);
      } else if (event.kind === "paused") {
        wake.want(false);
        sound.hush();
        pauseButton(true);
      } else if (event.kind === "resumed") {
        wake.want(true);
        pauseButton(false);
      } else if (event.kind === "finished" || event.kind === "quit") {
        end();
      }
    }
  }

  function enterSegment(segment) {
    const plan = state.plan;
    const step = plan.steps[segment.step_index];
    const next = plan.segments[segment.index + 1] || null;
    setText("seg-kind", segment.title);
    setText("seg-exercise", segment.exercise_name);
    const side = $("seg-side");
    side.textContent = segment.side_label;
    side.hidden = !segment.side_label;
    const set = segment.sets_total > 1 && WORK[segment.kind]
      ? `Set ${segment.set_number} of ${segment.sets_total}` : "";
    setText("seg-set", set);
    setText("caption", segment.cue);
    setText("next-line", describeNext(next));
    setText("step-count", `Exercise ${segment.step_index + 1} of ${plan.steps.length}`);
    root.setAttribute("data-kind", segment.kind);
    const holder = $("figure");
    holder.setAttribute("aria-label", `Illustration: ${step.name}` +
      (segment.side_label ? `, ${segment.side_label}` : ""));
    // Figures face right and show the near (left) side working; the right side is its mirror.
    holder.classList.toggle("is-mirrored", segment.side === "right");
    useFigure(step.exercise_id);
    sound.speak(segment.cue);
    sound.ring();
    camera.enter(segment);
  }

  function draw(now) {
    const view = state.player.view(now);
    const segment = view.segment;
    if (!segment) return;
    setText("countdown", formatClock(view.remaining));
    const fraction = segment.duration_seconds > 0 ? view.elapsed / segment.duration_seconds : 1;
    $("ring-progress").setAttribute("stroke-dashoffset", (fraction * 100).toFixed(2));
    setText("seg-rep", view.rep ? `Rep ${view.rep} of ${segment.reps}` : "");
    const percent = view.total > 0 ? Math.round((100 * view.position) / view.total) : 100;
    const bar = $("routine-progress");
    if (bar.getAttribute("aria-valuenow") !== String(percent)) {
      bar.setAttribute("aria-valuenow", String(percent));
      bar.setAttribute("aria-valuetext",
        `${formatDuration(view.position)} of ${formatDuration(view.total)}`);
      $("routine-progress-fill").style.width = `${percent}%`;
    }
    setText("time-left", `${formatDuration(view.total - view.position)} left`);
    if (state.figure) {
      const previous = state.plan.segments[segment.index - 1] || null;
      const step = state.plan.steps[segment.step_index];
      state.figure.pose(poseAt(segment, previous, step, view.elapsed, stillQuery.matches));
    }
  }

  function pauseButton(paused) {
    $("btn-pause").setAttribute("aria-pressed", paused ? "true" : "false");
    setText("btn-pause-label", paused ? "Resume" : "Pause");
    // The icon shows what the button does: play while paused, pause while playing.
    $("btn-pause-icon").setAttribute("d", paused ? PLAY_ICON : PAUSE_ICON);
    root.classList.toggle("is-paused", paused);
  }

  function end() {
    if (state.ended) return;
    state.ended = true;
    camera.stop("ended");
    root.classList.remove("is-held");
    finishTimers();
    const player = state.player;
    const steps = player.summary();
    const status = player.status === "finished" ? "completed" : "quit_early";
    const share = shareDone(steps, state.plan);
    const complete = share >= state.plan.complete_share;
    state.result = { steps, status, share, complete };
    announce(complete ? "Routine complete" : status === "completed" ? "Routine finished" : "Stopped");
    const finish = { steps, status };
    // After the progress posts, or a late one would reach the server after the finish (409).
    state.saving
      .then(() => postJson(`/api/sessions/${state.sessionId}/finish`, finish, { keepalive: true }))
      .then(() => { state.saveProblem = ""; }, (error) => { state.saveProblem = error.message; })
      .then(() => {
        const worked = steps.some((s) => s.done_seconds > 0);
        if (worked) show("after");
        else showSummary();
      });
  }

  function finishTimers() {
    clearTimeout(state.timer);
    cancelAnimationFrame(state.frame);
    wake.want(false);
    sound.hush();
  }

  /* Save progress at every segment start, fire and forget (keepalive survives a closing tab). */
  function record() {
    if (!state.sessionId || !state.player) return;
    const progress = { steps: state.player.summary() };
    const url = `/api/sessions/${state.sessionId}/progress`;
    const sent = postJson(url, progress, { keepalive: true })
      .catch(() => { /* the finish call reports problems; playing never waits on this */ });
    state.saving = state.saving.then(() => sent);
  }

  // ----- figures ---------------------------------------------------------------------------------

  function preloadFigures(steps) {
    for (const step of steps) {
      state.figures[step.exercise_id] ??= loadFigure(step.exercise_id, step.keyframes);
    }
  }

  function useFigure(exerciseId) {
    const pending = state.figures[exerciseId];
    if (!pending) return;
    pending.then((figure) => {
      const current = state.player && state.player.segments[state.player.index()];
      if (!figure || !current || current.exercise_id !== exerciseId) return;
      if (state.figure !== figure) {
        $("figure").replaceChildren(figure.svg);
        figure.shown = -1;
        state.figure = figure;
      }
      if (state.player) draw(clock());
    });
  }

  // ----- summary ---------------------------------------------------------------------------------

  function showSummary() {
    renderSummary(state.result, state.plan, state.messages, state.saveProblem);
    show("summary");
  }

  // ----- wiring ----------------------------------------------------------------------------------

  function isPlaying() {
    return !$("stage-play").hidden && state.player && !state.ended;
  }

  function askStop() {
    const player = state.player;
    const dialog = $("stop-dialog");
    if (!player || state.ended || dialog.open) return;
    state.wasPlaying = player.status === "playing";
    if (state.wasPlaying) command("togglePause");
    dialog.showModal();
  }

  function toggle(button, key) {
    sound[key] = !sound[key];
    button.setAttribute("aria-pressed", sound[key] ? "true" : "false");
    if (key === "voice" && !sound.voice) sound.hush();
  }

  /* The Voice button and the note beside it say which voice speaks (or how to get one). */
  const voiceNote = $("voice-note");
  const serverNote = [...voiceNote.childNodes]; // espeak-ng's name, or how to get a voice
  function showVoice() {
    const button = $("btn-voice");
    button.disabled = !sound.canSpeak;
    button.setAttribute("aria-pressed", sound.voice && sound.canSpeak ? "true" : "false");
    const chosen = sound.browserVoice;
    if (chosen) voiceNote.textContent = `Voice: ${chosen.name} (your browser, offline)`;
    else voiceNote.replaceChildren(...serverNote);
  }

  const KEYS = {
    " ": "togglePause",
    Spacebar: "togglePause",
    ArrowRight: "skip",
    ArrowLeft: "back",
  };

  function bind() {
    $("before-form").addEventListener("submit", beginRoutine);
    $("after-form").addEventListener("submit", afterCheckin);
    $("btn-pause").addEventListener("click", () => command("togglePause"));
    $("btn-skip").addEventListener("click", () => command("skip"));
    $("btn-back").addEventListener("click", () => command("back"));
    $("btn-stop").addEventListener("click", askStop);
    const dialog = $("stop-dialog");
    dialog.addEventListener("close", () => {
      if (dialog.returnValue === "stop") {
        command("quit");
      } else if (state.wasPlaying && state.player && state.player.status === "paused") {
        command("togglePause");
      }
      dialog.returnValue = "";
    });
    document.addEventListener("keydown", (event) => {
      if (!isPlaying() || dialog.open || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === "Escape") {
        event.preventDefault();
        askStop();
        return;
      }
      const name = KEYS[event.key];
      if (!name) return;
      event.preventDefault();
      // A held space bar repeats: one press is one pause or resume.
      if (!(name === "togglePause" && event.repeat)) command(name);
    });
    // Space on a focused button would also "click" it on keyup: the keydown already acted.
    document.addEventListener("keyup", (event) => {
      if (isPlaying() && (event.key === " " || event.key === "Spacebar")) event.preventDefault();
    });
    document.addEventListener("visibilitychange", () => {
      // The camera is released the moment the tab hides; the person turns it on again.
      if (document.visibilityState === "hidden" && camera.on) camera.stop("hidden");
      if (!state.player || state.ended) return;
      // Catch up at once: timers were throttled while hidden, the origin kept true time.
      tick();
      wake.onVisible();
    });
    window.addEventListener("pagehide", () => {
      camera.stop("hidden");
      if (state.player && !state.ended) record();
    });
    for (const [id, key] of [["btn-voice", "voice"], ["btn-bell", "bell"]]) {
      const button = $(id);
      button.addEventListener("click", () => toggle(button, key));
      button.setAttribute("aria-pressed", sound[key] ? "true" : "false");
    }
    sound.findVoice(showVoice);
    showVoice();
    // The first click or key press lets audio play (autoplay rules), also after an autostart.
    for (const name of ["pointerdown", "keydown"]) {
      document.addEventListener(name, () => sound.unlock(), { once: true, capture: true });
    }
  }

  bind();
  if (root.getAttribute("data-autostart") === "true") autostart();
}
