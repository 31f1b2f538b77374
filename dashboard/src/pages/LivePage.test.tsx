import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { FakeEventSource } from '../test/fakeEventSource';
import { fakeApi, renderWithApi } from '../test/fakeApi';
import LivePage from './LivePage';

function click(code: string, bot = false) {
  return { code, clickedAt: new Date().toISOString(), browser: 'Chrome', os: 'Android', device: 'Mobile', country: 'DE', referrerHost: null, bot };
}

describe('LivePage', () => {
  it('shows every link’s clicks and a tally since it opened', () => {
    renderWithApi(<LivePage />, fakeApi({}).fetch, '/live');
    const source = FakeEventSource.latest();
    expect(source.url).toBe('/api/stream');
    act(() => source.open());
    act(() => source.click('1', click('one')));
    act(() => source.click('2', click('two')));
    act(() => source.click('3', click('two', true)));

    const items = within(screen.getByRole('log', { name: 'Latest clicks' })).getAllByRole('listitem');
    expect(items.map((item) => within(item).getByRole('link').textContent)).toEqual(['/two', '/two', '/one']);
    expect(items[2]).toHaveTextContent('Germany');
    expect(screen.getByText('People since opened').nextElementSibling).toHaveTextContent('2');
    expect(screen.getByText('Bots since opened').nextElementSibling).toHaveTextContent('1');
    expect(screen.getByText('Links clicked').nextElementSibling).toHaveTextContent('2');
    const busiest = within(screen.getByRole('region', { name: 'Most clicked since opened' })).getAllByRole('row');
    expect(busiest.slice(1).map((row) => row.textContent)).toEqual(['/two2', '/one1']);
  });
});
