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
// (1 s doubling to 30 s, with jitter) and reset after a connection succeeds.
(function () {
  "use strict";

  var REFUSED = [4400, 4401, 4403, 4404];

  function connect(path, options) {
    options = options || {};
    var handlers = options.on || {};
    var lastId = options.since == null ? null : options.since;
    var delay = 1000;
    var socket = null;
    var stopped = false;
    var timer = null;

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
        delay = 1000;
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
        var wait = delay * (0.5 + Math.random() / 2);
        delay = Math.min(delay * 2, 30000);
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
