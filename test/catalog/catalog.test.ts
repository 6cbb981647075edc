import { describe, expect, it } from 'vitest';
import { EXAMPLE_CATALOG } from '../../src/app.js';
import { CatalogError, loadCatalog, parseCatalog } from '../../src/catalog/catalog.js';

const DEFAULT_ENVS = ['dev', 'staging', 'prod'];

describe('the service catalog', () => {
  it('reads the shipped example (Backstage catalog-info.yaml)', () => {
    const catalog = loadCatalog(EXAMPLE_CATALOG, DEFAULT_ENVS);
    const payments = catalog.get('payments');
    expect(payments).toMatchObject({ projectSlug: 'acme/payments', owner: 'team-payments', environments: ['dev', 'staging', 'prod'] });
    expect(catalog.get('notifications')?.environments).toEqual(['dev', 'staging']);
  });

  it('names an unknown service and suggests close matches', () => {
    const catalog = loadCatalog(EXAMPLE_CATALOG, DEFAULT_ENVS);
    expect(catalog.lookup('paymnts')).toEqual({ found: false, suggestions: ['payments'] });
    expect(catalog.lookup('billing')).toMatchObject({ found: false, suggestions: ['billing-api'] });
    expect(catalog.lookup('zzz')).toEqual({ found: false, suggestions: [] });
  });

  it('maps an alarm to its service by the longest aiops/alarms prefix', () => {
    const catalog = loadCatalog(EXAMPLE_CATALOG, DEFAULT_ENVS);
    expect(catalog.serviceForAlarm('billing-api-5xx')?.name).toBe('billing-api');
    expect(catalog.serviceForAlarm('orders-high-cpu')?.name).toBe('orders');
    expect(catalog.serviceForAlarm('unrelated')).toBeUndefined();
  });

  it('skips other kinds and defaults environments', () => {
    const source = [
      'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata:\n  name: commerce\nspec:\n  owner: x',
      'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: cart\nspec:\n  owner: team-cart',
    ].join('\n---\n');
    const catalog = parseCatalog(source, 'inline', DEFAULT_ENVS);
    expect(catalog.services.map((service) => service.name)).toEqual(['cart']);
    expect(catalog.get('cart')?.environments).toEqual(DEFAULT_ENVS);
  });

  it.each([
    ['kind: Component\napiVersion: backstage.io/v1alpha1\nmetadata:\n  name: Bad_Name\nspec:\n  owner: x', /metadata.name must be lowercase/],
    ['kind: Component\napiVersion: backstage.io/v1alpha1\nmetadata:\n  name: ok\nspec: {}', /spec.owner/],
    ['kind: Component\napiVersion: backstage.io/v1alpha1\nmetadata: [unclosed', /document 1/],
  ])('refuses a malformed catalog with the document and field: %#', (source, message) => {
    expect(() => parseCatalog(source, 'bad.yaml', DEFAULT_ENVS)).toThrow(CatalogError);
    expect(() => parseCatalog(source, 'bad.yaml', DEFAULT_ENVS)).toThrow(message);
  });

  it('says which file it cannot read', () => {
    expect(() => loadCatalog('/nope/catalog-info.yaml', DEFAULT_ENVS)).toThrow(/\/nope\/catalog-info.yaml.*AIOPS_CATALOG/s);
  });
});
