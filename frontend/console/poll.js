/* Polling, only while the page is visible and someone is signed in. */

import { state } from "./state.js";

const pollers = [];

/** Calls `fn` now (`.now()`) and then every `ms` after it settles, until `.stop()`. */
export function poller(ms, fn) {
  let timer = null;
  const self = {
    now: function () {
      clearTimeout(timer);
      timer = null;
      if (document.hidden || !state.operator) return;
      Promise.resolve(fn()).catch(function () {}).then(self.arm);
    },
    arm: function () {
      clearTimeout(timer);
      timer = document.hidden || !state.operator ? null : setTimeout(self.now, ms);
    },
    stop: function () { clearTimeout(timer); timer = null; }
  };
  pollers.push(self);
  return self;
}

export function stopPolling() {
  pollers.forEach(function (each) { each.stop(); });
}
