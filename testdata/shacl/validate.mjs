// validate.mjs checks RDF data against SHACL shapes with rdf-validate-shacl,
// a SHACL implementation independent of innograph (its Go tests run this).
//
//   node validate.mjs [--import IRI=FILE ...] SHAPES.ttl DATA.(ttl|trig|nq|nt) [DATA ...]
//
// --import says where the document an owl:imports of the shapes names is
// (the innograph shapes import the ontology); any other import is an error,
// nothing is fetched.
//
// Every data file is parsed with n3 and merged into one data graph (named
// graphs become the default graph: SHACL validates a graph, and the union of
// the seed graphs is what the store serves). The ontology belongs in the
// data too, so that sh:targetClass sees rdfs:subClassOf.
//
// Output: "conforms" and exit 0, or one line per result and exit 1; any
// parse or usage error exits 2.

import { readFileSync } from 'node:fs'
import { extname } from 'node:path'
import { Parser, DataFactory } from 'n3'
import SHACLValidator from 'rdf-validate-shacl'

const formats = { '.ttl': 'text/turtle', '.trig': 'application/trig', '.nq': 'application/n-quads', '.nt': 'application/n-triples' }

function parse (file, intoDefault) {
  const format = formats[extname(file)]
  if (!format) throw new Error(`${file}: unknown extension (want .ttl, .trig, .nq or .nt)`)
  const parser = new Parser({ format, baseIRI: 'https://w3id.org/innograph/id/' })
  const quads = parser.parse(readFileSync(file, 'utf8'))
  if (!intoDefault) return quads
  return quads.map(q => DataFactory.quad(q.subject, q.predicate, q.object, DataFactory.defaultGraph()))
}

function term (t) {
  if (!t) return '-'
  switch (t.termType) {
    case 'NamedNode': return `<${t.value}>`
    case 'BlankNode': return `_:${t.value}`
    case 'Literal': return JSON.stringify(t.value) + (t.language ? '@' + t.language : t.datatype ? `^^<${t.datatype.value}>` : '')
    default: return t.value
  }
}

async function main (args) {
  const imports = new Map()
  while (args[0] === '--import') {
    const [iri, file] = args[1].split(/=(.*)/s)
    imports.set(iri, file)
    args = args.slice(2)
  }
  if (args.length < 2) throw new Error('usage: node validate.mjs [--import IRI=FILE ...] SHAPES.ttl DATA [DATA ...]')
  const validator = new SHACLValidator(parse(args[0], false), {
    importGraph: iri => {
      const file = imports.get(iri.value)
      if (!file) throw new Error(`shapes import ${iri.value}: no --import given for it`)
      return validator.factory.dataset(parse(file, true))
    }
  })
  const data = []
  for (const f of args.slice(1)) data.push(...parse(f, true))
  const report = await validator.validate(validator.factory.dataset(data))
  if (report.conforms) {
    console.log(`conforms (${data.length} triples)`)
    return 0
  }
  for (const r of report.results) {
    const msg = r.message.map(m => m.value).join('; ')
    console.log(`${term(r.severity).replace(/^<http:\/\/www.w3.org\/ns\/shacl#(.*)>$/, '$1')}: focus ${term(r.focusNode)} path ${term(r.path)} value ${term(r.value)} shape ${term(r.sourceShape)} constraint ${term(r.sourceConstraintComponent).replace(/^<http:\/\/www.w3.org\/ns\/shacl#(.*)>$/, '$1')}${msg ? ': ' + msg : ''}`)
  }
  console.log(`${report.results.length} results`)
  return 1
}

main(process.argv.slice(2)).then(code => process.exit(code), err => {
  console.error(err.stack || String(err))
  process.exit(2)
})
