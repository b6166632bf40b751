// The decisions behind `npm start` (bin/start.js), kept free of side effects so they can be tested.
import path from 'node:path';

/**
 * The Electron executable if this machine has one, found the way node_modules/electron/index.js
 * finds it but without requiring that module: requiring it starts a download when the binary is
 * missing, which fails (after a network round trip) on machines without one that are offline.
 */
export function findElectronBinary(electronPackageDir, env, fs) {
  const pathFile = path.join(electronPackageDir, 'path.txt');
  const name = fs.existsSync(pathFile) ? fs.readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (!override && name === '') return null;
  const binary = path.join(override || path.join(electronPackageDir, 'dist'), name || 'electron');
  return fs.existsSync(binary) ? binary : null;
}

/** Desktop when Electron can start here, otherwise `inlet serve` with one line saying why. */
export function planStart({ electronBinary, platform, env, projectDir, inletCli, nodePath, args }) {
  let reason = null;
  if (electronBinary === null) reason = 'no Electron binary';
  else if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    reason = 'no display: DISPLAY and WAYLAND_DISPLAY are unset';
  }
  if (reason === null) {
    return { mode: 'desktop', command: electronBinary, args: [projectDir, ...args], notice: null };
  }
  return {
    mode: 'headless',
    command: nodePath,
    args: [inletCli, 'serve', ...args],
    notice: `Inlet: the Electron desktop shell is not available on this machine (${reason}); starting headless mode instead.`,
  };
}

/**
 * Relays SIGINT/SIGTERM/SIGHUP to the child. One Ctrl-C can reach this process twice (from the
 * terminal and again from npm, which forwards signals to its script), while `inlet serve` treats a
 * second signal as "exit now, skip the clean stop": copies of a signal arriving within `windowMs`
 * of the last one relayed are dropped. A deliberate second Ctrl-C later still gets through.
 */
export function createSignalRelay(kill, now, windowMs = 500) {
  const lastRelayed = new Map();
  return (signal) => {
    const at = now();
    const previous = lastRelayed.get(signal);
    if (previous !== undefined && at - previous < windowMs) return false;
    lastRelayed.set(signal, at);
    kill(signal);
    return true;
  };
}

/** The exit code a shell would report for the child: its own, or 128 + the signal that ended it. */
export function exitCodeOf(code, signal, signalNumbers) {
  if (code !== null) return code;
  return 128 + (signalNumbers[signal] ?? 0);
}
