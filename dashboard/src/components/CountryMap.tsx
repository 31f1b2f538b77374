import { geoEqualEarth, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import world from 'world-atlas/countries-110m.json';
import { ALPHA2_BY_NUMERIC } from '../analytics/countryCodes';
import { countryName, formatNumber } from '../format';
import type { Row } from './BreakdownTable';

const WIDTH = 960;
const HEIGHT = 470;

// the outlines are drawn once, when this chunk first loads (with the analytics page's countries)
const shapes = (() => {
  const topology = world as unknown as Topology<{ countries: GeometryCollection }>;
  const countries = feature(topology, topology.objects.countries);
  const features = countries.features.filter((f) => f.id !== '010');
  const path = geoPath(geoEqualEarth().fitSize([WIDTH, HEIGHT], { type: 'FeatureCollection', features }));
  return features.map((f) => {
    const code = ALPHA2_BY_NUMERIC.get(String(f.id));
    // a few places have no ISO code in the map (Kosovo, Somaliland, Northern Cyprus): the map's own name
    const name = code ? countryName(code) : String((f.properties as { name?: string } | null)?.name ?? '');
    return { code: code ?? '', name, d: path(f) ?? '' };
  });
})();

/** The countries of a breakdown on a world map, darker with more clicks. */
export default function CountryMap({ rows }: { rows: Row[] }) {
  const counts = new Map(rows.map((row) => [row.key, row.count]));
  const most = Math.max(1, ...rows.filter((row) => row.key !== '(other)' && row.key !== 'unknown').map((row) => row.count));
  // the table under it says the same in words and numbers: the map is for the eye only
  return (
    <svg className="country-map" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} aria-hidden="true" focusable="false">
      {shapes.map((shape, i) => {
        const count = counts.get(shape.code) ?? 0;
        return (
          <path
            key={shape.code || i}
            d={shape.d}
            className={count > 0 ? 'has-clicks' : undefined}
            fillOpacity={count > 0 ? 0.3 + 0.7 * (count / most) : undefined}
          >
            <title>{`${shape.name}: ${formatNumber(count)} ${count === 1 ? 'click' : 'clicks'}`}</title>
          </path>
        );
      })}
    </svg>
  );
}
