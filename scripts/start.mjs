// `npm start`: build and launch the Electron app; where the Electron binary is missing (it cannot
// be downloaded on some machines) say so in one line and start browser mode instead.
// The binary is found through electron/path.txt without require('electron'): from Electron 42 on,
// requiring the package tries to download the binary at that moment.
import { existsSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');
const pathFile = join(electronDir, 'path.txt');
const binary = existsSync(pathFile) ? join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim()) : null;
const extra = process.argv.slice(2);

function run(cmd, args) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}

if (binary && existsSync(binary)) {
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  run(binary, ['.', ...extra]);
} else {
  console.log('Không có Electron trên máy này — chạy chế độ trình duyệt. / Electron binary not found — starting browser mode.');
  run(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'scripts', 'web.ts'), ...extra]);
}
