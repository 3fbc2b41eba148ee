/* What the player does beyond the page: the bell at each change, the spoken cue (the server's
 * espeak through /api/speech) and the screen wake lock while a routine plays. Each one fails
 * quietly: the captions and the countdown always carry the change.
 */

import { post } from "../lib/http.js";

/** The bell and the spoken cues; ``voice`` and ``bell`` follow the page's toggle buttons. */
export class Sound {
  #context = null;
  #audio = null;
  #audioUrl = null;
  #spoken = 0;

  constructor({ voice, bell, speech }) {
    this.voice = voice;
    this.bell = bell;
    this.speech = speech; // whether the server can speak at all
  }

  /** Call inside the click that starts the routine, so autoplay rules allow the bell later. */
  unlock() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (Context && !this.#context) {
      try {
        this.#context = new Context();
      } catch {
        this.#context = null;
      }
    }
  }

  ring() {
    const ctx = this.#context;
    if (!this.bell || !ctx) return;
    try {
      if (ctx.state === "suspended") ctx.resume().catch(() => {});
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, ctx.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + 0.3);
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.32);
    } catch { /* no audio output: the caption and countdown still show the change */ }
  }

  /** Say ``text`` (stopping the cue before it), when the voice is on and the server can speak. */
  speak(text) {
    this.#spoken += 1;
    const mine = this.#spoken;
    if (this.#audio) {
      this.#audio.pause();
      this.#audio.removeAttribute("src");
      this.#audio = null;
    }
    if (this.#audioUrl) {
      URL.revokeObjectURL(this.#audioUrl);
      this.#audioUrl = null;
    }
    if (!this.voice || !this.speech || !text) return;
    // A POST with the CSRF token: rendering speech is real work, so no other page may start it.
    post("/api/speech", { text }).then((response) => {
      if (!response.ok) throw new Error(`speech: ${response.status}`);
      return response.blob();
    }).then((wav) => {
      if (mine !== this.#spoken || !this.voice) return; // a newer cue (or silence) came first
      this.#audioUrl = URL.createObjectURL(wav);
      const audio = new Audio(this.#audioUrl);
      this.#audio = audio;
      const playing = audio.play();
      if (playing && playing.catch) playing.catch(() => { /* captions carry the cue */ });
    }).catch(() => { /* no speech: the captions carry the cue */ });
  }

  /** Stop the cue being spoken. */
  hush() {
    if (this.#audio) this.#audio.pause();
  }
}

/** The screen wake lock, held while wanted and the tab is visible (browsers drop it when hidden). */
export class ScreenWake {
  #lock = null; // null, "pending" or the WakeLockSentinel
  #wanted = false;

  want(on) {
    this.#wanted = on;
    if (on) this.#hold();
    else this.#release();
  }

  /** Take the lock again when the tab comes back into view. */
  onVisible() {
    if (document.visibilityState === "visible" && this.#wanted) this.#hold();
  }

  #hold() {
    if (!("wakeLock" in navigator) || this.#lock || document.visibilityState !== "visible") {
      return;
    }
    this.#lock = "pending";
    navigator.wakeLock.request("screen").then((lock) => {
      this.#lock = lock;
      lock.addEventListener("release", () => {
        if (this.#lock === lock) this.#lock = null;
      });
      if (!this.#wanted) this.#release();
    }, () => { this.#lock = null; });
  }

  #release() {
    const lock = this.#lock;
    if (lock && lock !== "pending") {
      this.#lock = null;
      lock.release().catch(() => {});
    }
  }
}
