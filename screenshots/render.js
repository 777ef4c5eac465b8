#!/usr/bin/env node
// usage: node render.js IN.ans OUT.png COLS ROWS [IN.ans OUT.png COLS ROWS ...]
// Renders ANSI screen captures (`tmux capture-pane -e -p`) cell by cell with xterm.js (canvas
// renderer, Unicode 11 widths as in tmux and lipgloss) inside Debian's headless Chromium, driven
// by playwright-core (no browser download). One browser renders every capture given.
// env: CHROMIUM (default /usr/bin/chromium), FONT (default "JetBrains Mono"), FONTSIZE (default 24),
//      BG (default #171717), FG (default #d0d0d0)
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 4 !== 0) {
  console.error('usage: render.js IN.ans OUT.png COLS ROWS [IN.ans OUT.png COLS ROWS ...]');
  process.exit(2);
}
const font = process.env.FONT || 'JetBrains Mono';
const fontSize = +(process.env.FONTSIZE || 24);
const bg = process.env.BG || '#171717', fg = process.env.FG || '#d0d0d0';
const nm = path.join(__dirname, 'node_modules', '@xterm');
const inline = f => fs.readFileSync(path.join(nm, f), 'utf8');
const html = `<!DOCTYPE html><html><head><meta charset="utf-8">
<style>${inline('xterm/css/xterm.css')}
html,body{margin:0;background:${bg}}#t{display:inline-block;padding:${fontSize}px;background:${bg}}</style>
<script>${inline('xterm/lib/xterm.js')}</script>
<script>${inline('addon-canvas/lib/addon-canvas.js')}</script>
<script>${inline('addon-unicode11/lib/addon-unicode11.js')}</script>
</head><body><div id="t"></div></body></html>`;

async function renderOne(browser, inFile, outFile, cols, rows) {
  // tmux ends every row with \n; a final \n on the last row would scroll the screen up by one.
  const lines = fs.readFileSync(inFile, 'utf8').replace(/\n$/, '').split('\n');
  if (lines.length > rows) throw new Error(`${inFile}: ${lines.length} lines do not fit ${rows} rows`);
  const data = lines.join('\n');
  // deviceScaleFactor must stay 1: xterm.js 5.5's canvas addon mis-sizes its canvas under DPR 2
  // (glyphs drawn 2x into a 1x canvas, right half cut off). For a sharper picture raise FONTSIZE.
  const page = await browser.newPage({ viewport: { width: 4000, height: 3000 }, deviceScaleFactor: 1 });
  try {
    await page.setContent(html);
    await page.evaluate(async ({ data, cols, rows, font, fontSize, bg, fg }) => {
      await document.fonts.load(`${fontSize}px "${font}"`);
      await document.fonts.load(`bold ${fontSize}px "${font}"`);
      const term = new Terminal({
        cols, rows, fontSize, lineHeight: 1.0, fontFamily: `"${font}", "DejaVu Sans Mono", monospace`,
        convertEol: true, allowProposedApi: true, customGlyphs: true, drawBoldTextInBrightColors: false,
        cursorBlink: false, cursorInactiveStyle: 'none', theme: { background: bg, foreground: fg, cursor: bg },
      });
      term.loadAddon(new Unicode11Addon.Unicode11Addon());
      term.unicode.activeVersion = '11';
      term.open(document.getElementById('t'));
      term.loadAddon(new CanvasAddon.CanvasAddon());
      term.write('\x1b[?25l'); // hide the cursor
      await new Promise(r => term.write(data, r));
      await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
    }, { data, cols, rows, font, fontSize, bg, fg });
    await page.locator('#t').screenshot({ path: outFile });
  } finally {
    await page.close();
  }
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
           '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    for (let i = 0; i < args.length; i += 4) {
      await renderOne(browser, args[i], args[i + 1], +args[i + 2], +args[i + 3]);
      console.log(`wrote ${args[i + 1]}`);
    }
  } finally {
    await browser.close();
  }
})().catch(e => { console.error(e); process.exit(1); });
