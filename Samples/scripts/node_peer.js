#!/usr/bin/env node
// A Node `ws` (Debian's node-ws) server and client on loopback that log every message they send.
// Usage: node node_peer.js server PORT LOG [deflate]   |   node node_peer.js client URL LOG [deflate]
// Log format: as py_peer.py ({"peer","kind","text"|"hex"|"code","reason"}).
'use strict';
const fs = require('fs');
const { WebSocketServer, WebSocket } = require('ws');

const [role, where, logPath, compression] = process.argv.slice(2);
const perMessageDeflate = compression === 'deflate' ? { threshold: 0 } : false;

function log(peer, entry) {
  fs.appendFileSync(logPath, JSON.stringify(Object.assign({ peer }, entry)) + '\n');
}

// Payloads over 1 KiB are logged by length and SHA-256 to keep logs small.
function describe(data, isBinary) {
  const bytes = Buffer.from(data);
  const kind = isBinary ? 'binary' : 'text';
  if (bytes.length > 1024) {
    return { kind, length: bytes.length, sha256: require('crypto').createHash('sha256').update(bytes).digest('hex') };
  }
  return isBinary ? { kind, hex: bytes.toString('hex') } : { kind, text: bytes.toString() };
}

if (role === 'server') {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: Number(where), perMessageDeflate });
  wss.on('listening', () => console.log('ready'));
  wss.on('connection', (ws) => {
    ws.on('message', (data, isBinary) => {
      const reply = isBinary ? data : data.toString();
      log('server', describe(reply, isBinary));
      ws.send(reply, { binary: isBinary });
    });
    ws.on('close', () => wss.close());
  });
  setTimeout(() => { console.error('server: timed out'); process.exit(1); }, 30000).unref();
} else {
  const ws = new WebSocket(where, { perMessageDeflate });
  const messages = ['Hello from Node', Buffer.from([1, 2, 3, 250]), 'ünïcödé ✓', 'y'.repeat(1000)];
  let next = 0;
  const sendNext = () => {
    if (next < messages.length) {
      const m = messages[next++];
      log('client', describe(m, Buffer.isBuffer(m)));
      ws.send(m);
    } else {
      log('client', { kind: 'close', code: 1001, reason: 'going away' });
      ws.close(1001, 'going away');
    }
  };
  ws.on('open', sendNext);
  ws.on('message', sendNext);
  ws.on('close', () => process.exit(0));
  setTimeout(() => { console.error('client: timed out'); process.exit(1); }, 30000).unref();
}
