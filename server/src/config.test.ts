import { describe, expect, it } from 'vitest';
import { loadConfig, ConfigError } from './config';

describe('server configuration', () => {
  it('defaults to loopback, PGlite in ./.data/server, no PACS, non-Secure cookies only on loopback http', () => {
    const c = loadConfig({}, '/srv');
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(8080);
    expect(c.databaseUrl).toBeNull();
    expect(c.dataDir).toBe('/srv/.data/server');
    expect(c.pacs).toBeNull();
    expect(c.publicBaseUrl).toBe('http://127.0.0.1:8080');
    expect(c.secureCookies).toBe(false);
  });
  it('makes cookies Secure behind https, and refuses plain http off loopback', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://kq.phongkham.vn/' }).secureCookies).toBe(true);
    expect(loadConfig({ PUBLIC_BASE_URL: 'https://kq.phongkham.vn/' }).publicBaseUrl).toBe('https://kq.phongkham.vn');
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'http://192.168.1.20:8080' })).toThrow(ConfigError);
  });
  it('reads the PACS and refuses credentials inside its URL', () => {
    const c = loadConfig({ PACS_DICOMWEB_URL: 'http://pacs:8042/dicom-web/', PACS_USERNAME: 'u', PACS_PASSWORD: 'p' });
    expect(c.pacs).toMatchObject({ dicomwebUrl: 'http://pacs:8042/dicom-web', username: 'u', password: 'p' });
    expect(() => loadConfig({ PACS_DICOMWEB_URL: 'http://u:p@pacs/dicom-web' })).toThrow(/credentials/);
  });
  it('finds jpegtran on PATH unless JPEGTRAN_PATH names it', () => {
    expect(loadConfig({}).jpegtranPath).toBe('jpegtran');
    expect(loadConfig({ JPEGTRAN_PATH: ' /opt/libjpeg-turbo/bin/jpegtran ' }).jpegtranPath).toBe('/opt/libjpeg-turbo/bin/jpegtran');
  });
  it('rejects a bad port', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
  });
});
