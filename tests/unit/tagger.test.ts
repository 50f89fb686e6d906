import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CluenerScorer, goldNames, runCluenerEval } from '../../src/eval/cluener.js';
import { holdoutSplit, orgType, readBio, readCluener } from '../../src/ingest/extract/tagger/corpora.js';
import { gazetteers } from '../../src/ingest/extract/tagger/gazetteers.js';
import { Tagger } from '../../src/ingest/extract/tagger/index.js';
import { gazetteerLinks } from '../../src/ingest/extract/tagger/links.js';
import { keepTagged, refine } from '../../src/ingest/extract/tagger/mentions.js';
import { TaggerModel } from '../../src/ingest/extract/tagger/model.js';
import {
  ALLOWED,
  canEnd,
  canStart,
  decodeSpans,
  encode,
  NTAGS,
  type Span,
  tagName,
} from '../../src/ingest/extract/tagger/tags.js';
import { train } from '../../src/ingest/extract/tagger/train.js';
import { viterbi } from '../../src/ingest/extract/tagger/viterbi.js';
import { WordClasses } from '../../src/ingest/extract/tagger/word-classes.js';
import { mulberry32 as prng } from '../../src/prng.js';

const dir = mkdtempSync(join(tmpdir(), 'tagger-test-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('BIOES tags', () => {
  it('round-trips spans through tags', () => {
    const spans: Span[] = [
      { type: 'Person', start: 0, end: 3 },
      { type: 'Agency', start: 4, end: 5 },
      { type: 'Company', start: 6, end: 10 },
    ];
    const tags = encode(12, spans);
    expect([...tags].map(tagName).join(' ')).toBe(
      'B-Person I-Person E-Person O S-Agency O B-Company I-Company I-Company E-Company O O',
    );
    expect(decodeSpans(tags)).toEqual(spans);
  });

  it('skips ill-formed runs when reading tags back', () => {
    // I-Person without B, B-Company closed by E-Agency
    expect(decodeSpans([2, 3, 0, 5, 11])).toEqual([]);
  });
});

describe('constrained Viterbi', () => {
  it('never emits an illegal BIOES sequence, whatever the scores', () => {
    const rand = prng(7);
    for (let trial = 0; trial < 300; trial++) {
      const n = 1 + Math.floor(rand() * 12);
      const emit = Float32Array.from({ length: n * NTAGS }, () => rand() * 10 - 5);
      const trans = Float32Array.from({ length: NTAGS * NTAGS }, () => rand() * 10 - 5);
      const tags = viterbi(emit, trans, n);
      expect(canStart(tags[0])).toBe(true);
      expect(canEnd(tags[n - 1])).toBe(true);
      for (let i = 1; i < n; i++) expect(ALLOWED[tags[i - 1] * NTAGS + tags[i]]).toBe(1);
    }
  });

  it('follows the emissions when they are legal', () => {
    const want = encode(4, [{ type: 'Company', start: 1, end: 3 }]);
    const emit = new Float32Array(4 * NTAGS);
    want.forEach((t, i) => {
      emit[i * NTAGS + t] = 1;
    });
    expect([...viterbi(emit, new Float32Array(NTAGS * NTAGS), 4)]).toEqual([...want]);
  });
});

describe('training', () => {
  const sentences = [
    {
      text: '记者王小明报道，星河科技发布了新产品。',
      spans: [
        { type: 'Person', start: 2, end: 5 },
        { type: 'Company', start: 8, end: 12 },
      ],
    },
    {
      text: '市财政局表示，星河科技将获得补贴。',
      spans: [
        { type: 'Agency', start: 0, end: 4 },
        { type: 'Company', start: 7, end: 11 },
      ],
    },
    {
      text: '王小明说，市财政局已经批准。',
      spans: [
        { type: 'Person', start: 0, end: 3 },
        { type: 'Agency', start: 5, end: 9 },
      ],
    },
  ].map((s) => ({ ...s, spans: s.spans as Span[], source: 'test' }));

  it('a tiny model tags its training sentences back', () => {
    const model = train(sentences, gazetteers(), { epochs: 10, seed: 1, bits: 16, minCount: 1, minWeight: 0 });
    const tagger = new Tagger(model);
    for (const s of sentences) {
      expect(tagger.tag(s.text).map(({ type, start, end }) => ({ type, start, end }))).toEqual(s.spans);
    }
  });

  it('is deterministic for a seed, and the model file round-trips', () => {
    const opts = { epochs: 3, seed: 5, bits: 16, minCount: 1, minWeight: 0 };
    const a = train(sentences, gazetteers(), opts).serialize();
    const b = train(sentences, gazetteers(), opts).serialize();
    expect(a.equals(b)).toBe(true);
    const back = TaggerModel.parse(a);
    expect(back.serialize().equals(a)).toBe(true);
  });

  it('averages models trained on different orders into one: its transitions are the mean of theirs', () => {
    const base = { epochs: 3, bits: 16, minCount: 1, minWeight: 0 };
    const first = train(sentences, gazetteers(), { ...base, seed: 5 });
    const second = train(sentences, gazetteers(), { ...base, seed: 5 + 7919 });
    const both = train(sentences, gazetteers(), { ...base, seed: 5, orders: 2 });
    expect(first.trans).not.toEqual(second.trans);
    for (let k = 0; k < both.trans.length; k++)
      expect(both.trans[k]).toBeCloseTo((first.trans[k] + second.trans[k]) / 2, 4);
    expect(
      train(sentences, gazetteers(), { ...base, seed: 5, orders: 2 })
        .serialize()
        .equals(both.serialize()),
    ).toBe(true);
    const tagger = new Tagger(both);
    for (const s of sentences)
      expect(tagger.tag(s.text).map(({ type, start, end }) => ({ type, start, end }))).toEqual(s.spans);
  });

  it('rejects a file that is not a model, naming it', () => {
    expect(() => TaggerModel.parse(Buffer.from('hello'), 'x.bin.gz')).toThrow(/x\.bin\.gz/);
  });
});

describe('corpus readers and CLUENER scoring', () => {
  const cluener = file(
    'mini.jsonl',
    [
      '{"text": "张三在星河公司工作", "label": {"name": {"张三": [[0, 1]]}, "company": {"星河公司": [[3, 6]]}}}',
      '{"text": "市统计局公布数据，张三点评", "label": {"government": {"市统计局": [[0, 3]]}, "name": {"张三": [[9, 10]]}, "position": {"点评": [[11, 12]]}}}',
      '{"text": "今天没有实体", "label": {}}',
    ].join('\n'),
  );

  it('reads CLUENER lines, mapping name / company / government and ignoring the other labels', () => {
    const s = readCluener(cluener);
    expect(s).toHaveLength(3);
    expect(goldNames(s[0])).toEqual({ Person: ['张三'], Company: ['星河公司'] });
    expect(goldNames(s[1])).toEqual({ Agency: ['市统计局'], Person: ['张三'] });
    expect(s[2].spans).toEqual([]);
  });

  it('names the file and line of a span that does not match its text', () => {
    const bad = file('bad.jsonl', '{"text": "张三", "label": {"name": {"李四": [[0, 1]]}}}\n');
    expect(() => readCluener(bad)).toThrow(/bad\.jsonl:1/);
  });

  it('scores distinct names per sentence and label', () => {
    const sc = new CluenerScorer();
    sc.add({ Person: ['张三', '张三'], Company: ['星河'] }, { Person: ['张三'], Company: ['星河公司'] });
    sc.add({ Agency: ['市统计局'] }, { Agency: ['市统计局'], Person: ['李四'] });
    const s = sc.scores();
    expect([s.Person.tp, s.Person.pred, s.Person.gold]).toEqual([1, 1, 2]);
    expect(s.Person.recall).toBeCloseTo(0.5);
    expect([s.Company.tp, s.Company.pred, s.Company.gold]).toEqual([0, 1, 1]);
    expect(s.Agency.f1).toBe(1);
  });

  it('scores the whole extractor on a CLUENER file', () => {
    const sc = runCluenerEval(cluener);
    expect(sc.sentences).toBe(3);
    expect(sc.scores().Person.gold).toBe(2);
  });

  it('reads BIO files: Person spans only, sentences labelling an organisation left out', () => {
    const bio = file(
      'mini.bio',
      ['王 B-PER', '五 I-PER', '来 O', '', '北 B-ORG', '大 I-ORG', '李 B-PER', '', '我 O', ''].join('\n'),
    );
    expect(readBio(bio, 'drop', false).map((s) => [s.text, s.spans])).toEqual([
      ['王五来', [{ type: 'Person', start: 0, end: 2 }]],
      ['我', []],
    ]);
    expect(readBio(bio).map((s) => s.text)).toEqual(['王五来']);
  });

  it('reads BIO organisations by their ending with --bio-org map', () => {
    const rows = (chars: string, tag: string) =>
      [...chars].map((c, i) => `${c} ${tag === 'O' ? 'O' : `${i ? 'I' : 'B'}-${tag}`}`);
    const bio = file(
      'orgs.bio',
      [
        ...rows('财政部', 'ORG'),
        ...rows('和', 'O'),
        ...rows('微软公司', 'ORG'),
        '',
        ...rows('新华社', 'ORG'),
        ...rows('报道', 'O'),
        ...rows('李四', 'PER'),
        '',
        ...rows('微软', 'ORG'),
        ...rows('宣布', 'O'),
        '',
        ...rows('美国', 'LOC'),
        ...rows('政府', 'O'),
        ...rows('和', 'O'),
        ...rows('人民银行', 'ORG'),
        '',
      ].join('\n'),
    );
    expect(readBio(bio, 'map').map((s) => [s.text, s.spans])).toEqual([
      [
        '财政部和微软公司',
        [
          { type: 'Agency', start: 0, end: 3 },
          { type: 'Company', start: 4, end: 8 },
        ],
      ],
      ['新华社报道李四', [{ type: 'Person', start: 5, end: 7 }]],
    ]);
    expect(['国务院', '中国人民银行', '建设银行', '北京大学', '中国队', '中国共产党', '微软'].map(orgType)).toEqual([
      'Agency',
      'Agency',
      'Company',
      'O',
      'O',
      null,
      null,
    ]);
  });

  it('splits a hold-out slice deterministically and disjointly', () => {
    const xs = Array.from({ length: 100 }, (_, i) => i);
    const a = holdoutSplit(xs, 0.1, 3);
    expect(a.heldOut).toHaveLength(10);
    expect(holdoutSplit(xs, 0.1, 3).heldOut).toEqual(a.heldOut);
    expect(a.train.some((x) => a.heldOut.includes(x))).toBe(false);
    expect(holdoutSplit(xs, 0.1, 4).heldOut).not.toEqual(a.heldOut);
  });
});

describe('the committed model', () => {
  const tagger = Tagger.load();
  const tagged = (s: string) => tagger.tag(s).map((x) => `${x.type}:${x.text}`);

  it('loads and tags a person, a company and an agency in sentences it was not trained on', () => {
    expect(tagged('国家发展改革委副主任李明华表示，阿里巴巴集团将在杭州投资建设新的研发中心。')).toEqual([
      'Agency:国家发展改革委',
      'Person:李明华',
      'Company:阿里巴巴集团',
    ]);
    expect(tagged('记者王晓东报道，招商银行与深圳市人民政府签署了合作协议。')).toEqual([
      'Person:王晓东',
      'Company:招商银行',
      'Agency:深圳市人民政府',
    ]);
  });

  it('records how it was trained', () => {
    const meta = tagger.model.header.meta as { sentences?: Record<string, number> };
    expect(meta.sentences?.cluener).toBeGreaterThan(5000);
  });
});

describe('guideline filters on tagged names', () => {
  it('drops generic phrases, media and two bodies written together', () => {
    expect(keepTagged('Company', '互联网公司')).toBe(false);
    expect(keepTagged('Agency', '地方政府')).toBe(false);
    expect(keepTagged('Agency', '中共中央国务院')).toBe(false);
    expect(keepTagged('Company', '新浪财经')).toBe(false);
    expect(keepTagged('Person', '丁伟摄')).toBe(false);
  });

  it('keeps names with a distinctive part', () => {
    expect(keepTagged('Company', '招商银行')).toBe(true);
    expect(keepTagged('Company', '华为公司')).toBe(true);
    expect(keepTagged('Agency', '浙江省人民政府')).toBe(true);
    expect(keepTagged('Agency', '美国政府')).toBe(true);
    expect(keepTagged('Person', 'Linda')).toBe(true);
  });

  it('cuts tagged spans to the name the guideline labels', () => {
    expect(refine('Company', '恒力旗下德力化纤')).toEqual({ skip: 4, text: '德力化纤' });
    expect(refine('Company', '光大银行金融市场部')).toEqual({ skip: 0, text: '光大银行' });
    expect(refine('Company', '腾讯科技(深圳)有限公司')).toEqual({ skip: 0, text: '腾讯科技(深圳)有限公司' });
    expect(refine('Company', '紫风投资（紫金矿业全资子公司')).toBeNull();
    expect(refine('Person', '魏静用')).toEqual({ skip: 0, text: '魏静' });
    expect(refine('Person', '王慧】')).toBeNull();
  });

  it('links short and full forms of one listed company only through the gazetteer', () => {
    const links = gazetteerLinks('Company', ['平安银行', '平安银行股份有限公司', '招商银行']);
    expect(links.get('Company:平安银行')).toBe('平安银行股份有限公司');
    expect(links.has('Company:招商银行')).toBe(false);
  });
});

describe('dictionary word classes', () => {
  // jieba's dictionary format: word, frequency, POS tag
  const words = new WordClasses(['中国足协 417 nt', '足协 398 j', '协会 100 n', '中国 9000 ns', '跑步 50 v', '人 5 n']);

  it('marks the classes of every word that begins, passes through or ends at a character', () => {
    const text = '中国足协会';
    const [begin, inside, end] = [0, 1, 2].map(() => new Uint8Array(text.length));
    words.cover(text, begin, inside, end);
    // 中国 (place) and 中国足协 (organisation) begin at 中; 足协 (abbreviation) at 足; 协会 (noun) at 协
    expect([...begin]).toEqual([2 | 4, 0, 16, 32, 0]);
    expect([...inside]).toEqual([0, 4, 4, 0, 0]);
    expect([...end]).toEqual([0, 2, 0, 4 | 16, 32]);
  });

  it('leaves out verbs and one-character words', () => {
    const text = '跑步的人';
    const [begin, inside, end] = [0, 1, 2].map(() => new Uint8Array(text.length));
    words.cover(text, begin, inside, end);
    expect([...begin, ...inside, ...end].every((x) => x === 0)).toBe(true);
  });
});
