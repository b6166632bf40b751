import { app, type Session, type WebContents } from 'electron';
import { describeError } from '../core/errors';
import { openIfSafe } from '../core/links';
import type { ExternalBrowser, Logger } from '../core/ports';
import {
  appPagesOnly,
  grantsPermission,
  type Frame,
  type NavigationRule,
} from '../core/security/page-policy';

export type WebContentsGuardOptions = {
  isAppUrl: (url: string) => boolean;
  browser: ExternalBrowser;
  logger: Logger;
};

/** A page with a rule of its own (the Instagram login window); `onCapture` gets what it caught. */
export type PageRule = { navigation: NavigationRule; onCapture: (url: string) => void };

export type WebContentsGuard = {
  /** Replaces the default rule (Inlet's own pages only) for one web contents. */
  setRule(contents: WebContents, rule: PageRule): void;
};

/**
 * Applies Inlet's defaults to every web contents the app ever creates, ours and any created later
 * (Electron's own recommendation): no new windows (an http(s) link goes to the user's browser),
 * no navigation or redirect the page's rule refuses, no <webview>, and the permissions
 * `grantsPermission` decides for every session. Install it before the first window exists.
 */
export function installWebContentsGuard(options: WebContentsGuardOptions): WebContentsGuard {
  const { isAppUrl, logger } = options;
  const appRule: PageRule = { navigation: appPagesOnly(isAppUrl), onCapture: () => undefined };
  const rules = new WeakMap<WebContents, PageRule>();
  const openInBrowser = (url: string): void =>
    void openIfSafe(url, options.browser).catch((error: unknown) =>
      logger.warn('could not open a link in the browser', { error: describeError(error) }),
    );

  app.on('web-contents-created', (_event, contents) => {
    const ruleOf = (): PageRule => rules.get(contents) ?? appRule;
    /** Lets the navigation go on, or stops it; says whether it was stopped. */
    const stopUnlessAllowed = (
      event: { url: string; preventDefault: () => void },
      frame: Frame,
    ): boolean => {
      const rule = ruleOf();
      const decision = rule.navigation(event.url, frame);
      if (decision === 'allow') return false;
      event.preventDefault();
      if (decision === 'capture') rule.onCapture(event.url);
      return decision === 'refuse';
    };

    contents.setWindowOpenHandler(({ url }) => {
      const rule = ruleOf();
      if (rule.navigation(url, 'main') === 'capture') rule.onCapture(url);
      else openInBrowser(url);
      return { action: 'deny' };
    });
    // A link clicked in a message would replace the page: it opens in the browser instead.
    contents.on('will-navigate', (event) => {
      if (stopUnlessAllowed(event, 'main')) openInBrowser(event.url);
    });
    // Subframes (Inlet's pages have none; CSP allows only our own) may not wander off either.
    contents.on('will-frame-navigate', (event) => {
      if (!event.isMainFrame) stopUnlessAllowed(event, 'sub');
    });
    contents.on('will-redirect', (event) => {
      stopUnlessAllowed(event, event.isMainFrame ? 'main' : 'sub');
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    lockPermissions(contents.session, isAppUrl);
  });

  return { setRule: (contents, rule) => rules.set(contents, rule) };
}

function lockPermissions(session: Session, isAppUrl: (url: string) => boolean): void {
  session.setPermissionRequestHandler((_contents, permission, decide, details) =>
    decide(grantsPermission(permission, details.requestingUrl, isAppUrl)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    grantsPermission(permission, requestingOrigin, isAppUrl),
  );
  // WebUSB, WebHID and Web Serial ask here once a permission check has passed.
  session.setDevicePermissionHandler(() => false);
}
