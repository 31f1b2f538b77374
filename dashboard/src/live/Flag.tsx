import { countryName } from '../format';

// flag-icons' 4:3 flags as files of the build (never inlined into the script), by country code
const FLAGS = import.meta.glob<string>('../../node_modules/flag-icons/flags/4x3/*.svg', {
  query: '?url&no-inline',
  import: 'default',
  eager: true,
});

export function flagUrl(country: string): string | undefined {
  return FLAGS[`../../node_modules/flag-icons/flags/4x3/${country.toLowerCase()}.svg`];
}

/** A country's flag and name; the name alone when there is no flag (or no country). */
export function Country({ code }: { code: string | null | undefined }) {
  if (!code) return <span className="muted">Unknown</span>;
  const url = flagUrl(code);
  return (
    <span className="country">
      {url ? <img className="flag" src={url} alt="" width={20} height={15} /> : null}
      {countryName(code)}
    </span>
  );
}
