/**
 * A minimal terminal screen for pty tests: replays what a program wrote (text, CR/LF and the
 * few ANSI sequences prompts use: cursor up/down/column, erase line/below) and returns the lines
 * left on screen — what a person sees after the program is done.
 */
export function finalScreen(output: string): string[] {
  const lines: string[] = [''];
  let row = 0;
  let col = 0;
  const put = (ch: string) => {
    while (lines.length <= row) lines.push('');
    const l = lines[row].padEnd(col, ' ');
    lines[row] = l.slice(0, col) + ch + l.slice(col + 1);
    col++;
  };
  for (let i = 0; i < output.length; i++) {
    const c = output[i];
    if (c === '\u001b' && output[i + 1] === '[') {
      const m = /^\u001b\[([?\d;]*)([A-Za-z])/.exec(output.slice(i));
      if (!m) continue;
      i += m[0].length - 1;
      const n = m[1] === '' || m[1].startsWith('?') ? 1 : Number(m[1].split(';')[0]);
      switch (m[2]) {
        case 'A': row = Math.max(0, row - n); break;
        case 'B': row += n; break;
        case 'G': col = Math.max(0, n - 1); break;
        case 'K': while (lines.length <= row) lines.push(''); lines[row] = m[1] === '2' ? '' : lines[row].slice(0, col); break;
        case 'J': lines.length = Math.min(lines.length, row + 1); lines[row] = (lines[row] ?? '').slice(0, col); break;
        default: break; // colours, cursor show/hide
      }
      continue;
    }
    if (c === '\r') col = 0;
    else if (c === '\n') {
      row++;
      while (lines.length <= row) lines.push('');
    } else if (c >= ' ') put(c);
  }
  return lines.map((l) => l.trimEnd());
}
