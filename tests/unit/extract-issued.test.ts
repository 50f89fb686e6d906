import { describe, expect, it } from 'vitest';
import { extractText } from '../../src/ingest/extract/index.js';

const pairs = (text: string) => extractText('t', text).issued.map((i) => [i.agency, i.policy]);

describe('ISSUED extraction', () => {
  it('links an agency to a policy it issues in the same sentence', () => {
    expect(pairs('商务部印发《跨境电商发展行动方案》。')).toEqual([['商务部', '跨境电商发展行动方案']]);
  });

  it('links joint issuers', () => {
    expect(pairs('财政部和税务总局发布《关于小微企业减税的公告》。')).toEqual([
      ['财政部', '关于小微企业减税的公告'],
      ['国家税务总局', '关于小微企业减税的公告'],
    ]);
  });

  it('links the agencies heading a document title', () => {
    expect(pairs('据悉，《财政部 税务总局关于延续优惠政策的公告》已经生效。')).toEqual([
      ['财政部', '财政部 税务总局关于延续优惠政策的公告'],
      ['国家税务总局', '财政部 税务总局关于延续优惠政策的公告'],
    ]);
  });

  it('links a quote to the agency of the official who said it', () => {
    const x = extractText('t', '“我们将实施物流降本增效行动计划。”交通运输部副部长赵刚说，要加快推进。');
    expect(x.issued.map((i) => [i.agency, i.policy])).toEqual([['交通运输部', '物流降本增效行动计划']]);
    expect(x.issued[0].evidence).toContain('行动计划');
  });

  it('does not link a policy merely mentioned far from the agency', () => {
    expect(
      pairs(
        '国家统计局数据显示，今年以来工业生产平稳，各地区坚持稳中求进，推动经济回升，房地产市场运行总体平稳，共同富裕取得新进展。',
      ),
    ).toEqual([]);
  });

  it('does not treat a planning period as issued', () => {
    expect(pairs('工信部表示，“十四五”期间要加快发展。')).toEqual([]);
  });
});

describe('roles', () => {
  it('reads ORG + TITLE + NAME', () => {
    const x = extractText('t', '工信部总工程师田玉龙说，要加快建设。');
    expect(x.roles.map((r) => [r.person, r.title, r.org, r.orgType])).toEqual([
      ['田玉龙', '总工程师', '工业和信息化部', 'Agency'],
    ]);
  });

  it('keeps a department as part of the title at a company', () => {
    const x = extractText('t', '海湾证券研究所所长周明认为，市场将回暖。');
    expect(x.roles.map((r) => [r.person, r.title, r.org])).toEqual([['周明', '研究所所长', '海湾证券']]);
  });
});

describe('ISSUED from ownership and brackets', () => {
  it('links an agency to its own document named right after it', () => {
    expect(pairs('在滨江市政协《关于发展夜间经济的提案》中，多个项目被提及。')).toEqual([
      ['滨江市政协', '关于发展夜间经济的提案'],
    ]);
  });

  it('treats a bracketed body as another name of the same agency', () => {
    const x = extractText('t', '温州市鹿城区人民政府（鹿城新区管委会）2022年政府工作报告中提到该项目。');
    const agencies = x.entities.filter((e) => e.type === 'Agency');
    expect(agencies.map((e) => [e.name, ...e.aliases])).toEqual([['温州市鹿城区人民政府', '鹿城新区管委会']]);
    expect(x.issued.map((i) => [i.agency, i.policy])).toEqual([['温州市鹿城区人民政府', '2022年政府工作报告']]);
  });
});
