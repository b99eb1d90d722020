const STORAGE_KEY = 'fer-studio-token';

export interface TokenEnvironment {
  location: Pick<Location, 'search' | 'pathname' | 'hash'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  history: Pick<History, 'replaceState' | 'state'>;
}

/**
 * The server prints `http://127.0.0.1:PORT/?token=T`. Keep the token for this tab and take it out
 * of the address bar, so it is not bookmarked, shared in a screenshot or kept in history.
 */
export function takeSessionToken(env: TokenEnvironment): string | null {
  const params = new URLSearchParams(env.location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    env.storage.setItem(STORAGE_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    const url = `${env.location.pathname}${rest ? `?${rest}` : ''}${env.location.hash}`;
    env.history.replaceState(env.history.state, '', url);
    return fromUrl;
  }
  return env.storage.getItem(STORAGE_KEY);
}
