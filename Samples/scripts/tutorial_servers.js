#!/usr/bin/env node
// The two hand-written servers of the tutorials (../shared/docs/teaching-material.md), reproduced for captures.
//   node tutorial_servers.js A PORT LOG   — Node `http` 'upgrade' handler with the tutorial's exact 101 response
//   node tutorial_servers.js B PORT LOG   — Node `net` server that splits headers on ': ', checks upgrade == 'websocket'
// Both answer one text frame per text frame received and stop after one connection. LOG gets what they sent
// (JSON Lines, as py_peer.py).
'use strict';
const crypto = require('crypto');
const fs = require('fs');
const http = require('http');
const net = require('net');

const [variant, port, logPath] = process.argv.slice(2);
const log = (entry) => fs.appendFileSync(logPath, JSON.stringify(Object.assign({ peer: 'server' }, entry)) + '\n');
const accept = (key) => crypto.createHash('sha1').update(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11').digest('base64');

function serveFrames(socket, server) {
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 2) {
      const opcode = buffer[0] & 0x0F;           // (the tutorial wrote buffer[0] & 0x0F0 here: wrong)
      let length = buffer[1] & 0x7F, offset = 2;
      if (length === 126) { length = buffer.readUInt16BE(2); offset = 4; }
      const masked = (buffer[1] & 0x80) !== 0;
      const need = offset + (masked ? 4 : 0) + length;
      if (buffer.length < need) return;
      const key = masked ? buffer.slice(offset, offset + 4) : null;
      const payload = Buffer.from(buffer.slice(need - length, need));
      if (key) for (let i = 0; i < payload.length; i++) payload[i] ^= key[i % 4];
      buffer = buffer.slice(need);
      if (opcode === 0x8) {
        log({ kind: 'close', code: payload.length >= 2 ? payload.readUInt16BE(0) : null });
        socket.end(Buffer.concat([Buffer.from([0x88, payload.length]), payload]));
        server.close();
        return;
      }
      const reply = Buffer.from('Server received: ' + payload.toString());
      log({ kind: 'text', text: reply.toString() });
      socket.write(Buffer.concat([Buffer.from([0x81, reply.length]), reply]));
    }
  });
}

if (variant === 'A') {
  const server = http.createServer();
  server.on('upgrade', (req, socket) => {
    socket.write('HTTP/1.1 101 Web Socket Protocol Handshake \r\n' +
                 'Upgrade:WebSocket\r\n' +
                 'Connection : Upgrade\r\n' +
                 'sec-websocket-accept: ' + accept(req.headers['sec-websocket-key']) + '\r\n\r\n');
    serveFrames(socket, server);
  });
  server.listen(Number(port), '127.0.0.1', () => console.log('ready'));
} else {
  const server = net.createServer((socket) => {
    socket.once('data', (data) => {
      const headers = {};
      for (const line of data.toString().split('\r\n').slice(1)) {
        const [name, value] = line.split(': ');
        if (value !== undefined) headers[name.toLowerCase()] = value;
      }
      if (headers['upgrade'] !== 'websocket' || headers['sec-websocket-version'] !== '13') {
        socket.destroy();                          // refuses by closing, with no HTTP response
        return;
      }
      socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade:websocket\r\nConnection:Upgrade\r\n' +
                   'sec-websocket-Accept:' + accept(headers['sec-websocket-key']) + '\r\n\r\n');
      serveFrames(socket, server);
    });
  });
  server.listen(Number(port), '127.0.0.1', () => console.log('ready'));
}
setTimeout(() => process.exit(1), 30000).unref();
