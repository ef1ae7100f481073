// Live updates from Shenlianti's WebSockets (docs/realtime.md). No framework, no build step.
//
//   const live = ShenliantiLive.connect("/ws/cases/42/", {
//     token: "…",                       // optional: without it the session cookie is used
//     on: { event: (m) => …, notification: (m) => …, replay_done: (m) => … },
//     onclose: (code) => …,             // 4401/4403/4404/4400: refused, no reconnect
//   });
//   live.close();
//
// Case streams resume where they left off: the last event id seen is sent as `since` on every
// reconnect, so nothing is missed and nothing repeats. Reconnects back off exponentially
// (1 s doubling to 30 s, with jitter). The back-off starts again from 1 s only after a
// connection has stayed open a while: a server whose live updates are down (Redis) accepts the
// handshake and closes it at once with 4503, and that must not turn into a reconnect a second.
(function () {
  "use strict";

  var REFUSED = [4400, 4401, 4403, 4404];
  var UNAVAILABLE = 4503;
  var FIRST_DELAY = 1000;
  var MAX_DELAY = 30000;
  var STABLE_AFTER = 10000;

  function connect(path, options) {
    options = options || {};
    var handlers = options.on || {};
    var lastId = options.since == null ? null : options.since;
    var delay = FIRST_DELAY;
    var socket = null;
    var stopped = false;
    var timer = null;
    var openedAt = null;

    function url() {
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      var query = lastId == null ? "" : "?since=" + encodeURIComponent(lastId);
      return scheme + window.location.host + path + query;
    }

    function open() {
      var protocols = ["shenlianti"];
      if (options.token) protocols.push("token." + options.token);
      socket = new WebSocket(url(), protocols);
      socket.onopen = function () {
        openedAt = Date.now();
      };
      socket.onmessage = function (frame) {
        var message;
        try {
          message = JSON.parse(frame.data);
        } catch (error) {
          return;
        }
        if (message.type === "event") lastId = message.event.id;
        if (message.type === "replay_done" && message.last_id != null) lastId = message.last_id;
        var handler = handlers[message.type];
        if (handler) handler(message);
      };
      socket.onclose = function (closed) {
        if (options.onclose) options.onclose(closed.code);
        if (stopped || REFUSED.indexOf(closed.code) !== -1) return;
        var stable = openedAt !== null && Date.now() - openedAt >= STABLE_AFTER;
        if (stable && closed.code !== UNAVAILABLE) delay = FIRST_DELAY;
        openedAt = null;
        var wait = delay * (0.5 + Math.random() / 2);
        delay = Math.min(delay * 2, MAX_DELAY);
        timer = window.setTimeout(open, wait);
      };
    }

    open();
    return {
      close: function () {
        stopped = true;
        window.clearTimeout(timer);
        if (socket) socket.close();
      },
      lastId: function () {
        return lastId;
      },
    };
  }

  window.ShenliantiLive = { connect: connect };
})();
