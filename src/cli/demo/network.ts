/** The demo retail network: outlets in Chinese cities (and the web shop), and the people who shop there. */
import type { Random } from './random';

export interface Outlet {
  outletId: string;
  city: string;
  name: string;
  district: string;
}

export const OUTLETS: readonly Outlet[] = [
  { outletId: 'sh-jingan', city: '上海', name: '上海静安嘉里中心店', district: '静安' },
  { outletId: 'sh-xintiandi', city: '上海', name: '上海新天地店', district: '黄浦' },
  { outletId: 'bj-sanlitun', city: '北京', name: '北京三里屯太古里店', district: '朝阳' },
  { outletId: 'bj-guomao', city: '北京', name: '北京国贸商城店', district: '朝阳' },
  { outletId: 'gz-tianhe', city: '广州', name: '广州天河城店', district: '天河' },
  { outletId: 'sz-nanshan', city: '深圳', name: '深圳南山海岸城店', district: '南山' },
  { outletId: 'cd-taikoo', city: '成都', name: '成都远洋太古里店', district: '锦江' },
  { outletId: 'hz-xihu', city: '杭州', name: '杭州湖滨银泰店', district: '上城' },
  { outletId: 'nj-xinjiekou', city: '南京', name: '南京新街口店', district: '秦淮' },
  { outletId: 'wh-hanjie', city: '武汉', name: '武汉楚河汉街店', district: '武昌' },
  { outletId: 'xa-qujiang', city: '西安', name: '西安曲江店', district: '雁塔' },
  { outletId: 'online', city: '线上', name: '官方网店', district: '' },
];

export const STORES = OUTLETS.filter((outlet) => outlet.outletId !== 'online');
export const ONLINE = OUTLETS.find((outlet) => outlet.outletId === 'online')!;

const SURNAMES: readonly [string, string][] = [
  ['王', 'Wang'], ['李', 'Li'], ['张', 'Zhang'], ['刘', 'Liu'], ['陈', 'Chen'], ['杨', 'Yang'], ['黄', 'Huang'], ['赵', 'Zhao'], ['吴', 'Wu'], ['周', 'Zhou'],
  ['徐', 'Xu'], ['孙', 'Sun'], ['马', 'Ma'], ['朱', 'Zhu'], ['胡', 'Hu'], ['郭', 'Guo'], ['何', 'He'], ['林', 'Lin'], ['罗', 'Luo'], ['高', 'Gao'],
];
const GIVEN_NAMES: readonly [string, string][] = [
  ['伟', 'Wei'], ['芳', 'Fang'], ['娜', 'Na'], ['敏', 'Min'], ['静', 'Jing'], ['丽', 'Li'], ['强', 'Qiang'], ['磊', 'Lei'], ['军', 'Jun'], ['洋', 'Yang'],
  ['艳', 'Yan'], ['杰', 'Jie'], ['涛', 'Tao'], ['明', 'Ming'], ['超', 'Chao'], ['秀英', 'Xiuying'], ['晨', 'Chen'], ['欣怡', 'Xinyi'], ['子涵', 'Zihan'], ['浩然', 'Haoran'],
  ['宇轩', 'Yuxuan'], ['梓萱', 'Zixuan'], ['雨桐', 'Yutong'], ['嘉怡', 'Jiayi'], ['俊杰', 'Junjie'],
];
const LATIN_FIRST = ['Sophie', 'Lucas', 'Emma', 'Noah', 'Mia', 'Liam', 'Olivia', 'Mateo', 'Hannah', 'David', 'María', 'James', 'Chloé', 'Daniel', 'Isabella', 'Jonas', 'Léa', 'Marco', 'Anna', 'Oliver'];
const LATIN_LAST = ['Martin', 'Müller', 'García', 'Rossi', 'Smith', 'Dubois', 'Schmidt', 'Silva', 'Kowalski', 'Nguyen', 'Kim', 'Brown', 'Johnson', 'Fernández', 'Jensen'];
const JAPANESE: readonly [string, string][] = [['佐藤 花子', 'Hanako Sato'], ['鈴木 健太', 'Kenta Suzuki'], ['高橋 さくら', 'Sakura Takahashi'], ['田中 浩', 'Hiroshi Tanaka'], ['渡辺 由美', 'Yumi Watanabe'], ['伊藤 翔', 'Sho Ito']];
const STREETS = ['南京西路', '淮海中路', '建国路', '天河路', '科技园路', '春熙路', '延安路', '中山路', '解放大道', '长安街'];
const LATIN_STREETS = ['Rue de Rivoli', 'Via Roma', 'Hauptstraße', 'Calle Mayor', 'Baker Street', 'Market Street'];
const LATIN_CITIES = ['Paris', 'Milano', 'Berlin', 'Madrid', 'London', 'San Francisco'];
const CN_MAIL = ['qq.com', '163.com', '126.com', 'outlook.com', 'foxmail.com'];
const LATIN_MAIL = ['gmail.com', 'outlook.com', 'proton.me', 'yahoo.com'];

export const CATEGORIES = ['tea', 'skincare', 'fashion', 'electronics', 'home', 'kids', 'wine'] as const;
export const CONTACT_CHANNELS = ['email', 'sms', 'wechat', 'app'] as const;

/** How a customer shops: spend per purchase, how often, which currencies. */
export type Segment = 'vip' | 'regular' | 'occasional';

export interface Persona {
  customerId: string;
  name: string;
  email: string | null;
  phone: string | null;
  address: string | null;
  home: Outlet;
  origin: 'zh' | 'latin' | 'ja';
  segment: Segment;
  categories: string[];
  channels: string[];
  /** Median purchase, CNY fen. */
  medianSpend: number;
  /** Mean days between the customer's actions. */
  gapDays: number;
  /** Share of purchases paid in JPY or USD (travellers, cross-border orders). */
  foreignShare: number;
}

const SEGMENTS: Record<Segment, { share: number; medianSpend: number; gapDays: number }> = {
  vip: { share: 0.05, medianSpend: 180_000, gapDays: 9 },
  regular: { share: 0.6, medianSpend: 32_000, gapDays: 30 },
  occasional: { share: 0.35, medianSpend: 15_000, gapDays: 70 },
};

const subset = <T>(rand: Random, items: readonly T[], min: number, max: number): T[] => items.filter(() => rand.chance(0.5)).slice(0, rand.int(min, max)).concat(min > 0 ? [rand.pick(items)] : []).filter((item, i, all) => all.indexOf(item) === i);

export function persona(rand: Random, customerId: string, index: number): Persona {
  const roll = rand.next();
  const origin = roll < 0.8 ? 'zh' : roll < 0.93 ? 'latin' : 'ja';
  const home = rand.chance(0.15) ? ONLINE : rand.pick(STORES);
  const segment = rand.weighted(['vip', 'regular', 'occasional'] as const, (s) => SEGMENTS[s].share)!;
  let name: string;
  let mailName: string;
  let phone: string;
  let address: string | null = null;
  if (origin === 'zh') {
    const [surname, surnamePinyin] = rand.pick(SURNAMES);
    const [given, givenPinyin] = rand.pick(GIVEN_NAMES);
    // Some Chinese customers register with the Latin spelling of their name.
    name = rand.chance(0.15) ? `${givenPinyin} ${surnamePinyin}` : `${surname}${given}`;
    mailName = `${givenPinyin}.${surnamePinyin}`.toLowerCase();
    phone = `+86 1${rand.pick(['3', '5', '7', '8', '9'])}${rand.digits(1)} ${rand.digits(4)} ${rand.digits(4)}`;
    if (home !== ONLINE && rand.chance(0.6)) address = `${home.city}市${home.district}区${rand.pick(STREETS)}${rand.int(1, 1999)}号`;
  } else if (origin === 'ja') {
    const [kanji, latin] = rand.pick(JAPANESE);
    name = rand.chance(0.5) ? kanji : latin;
    mailName = latin.toLowerCase().replace(' ', '.');
    phone = `+81 90 ${rand.digits(4)} ${rand.digits(4)}`;
  } else {
    const first = rand.pick(LATIN_FIRST);
    const last = rand.pick(LATIN_LAST);
    name = `${first} ${last}`;
    mailName = `${first}.${last}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '');
    phone = rand.chance(0.5) ? `+1 415 555 ${rand.digits(4)}` : `+44 20 7946 ${rand.digits(4)}`;
    if (rand.chance(0.3)) address = `${rand.int(1, 250)} ${rand.pick(LATIN_STREETS)}, ${rand.pick(LATIN_CITIES)}`;
  }
  const domain = rand.pick(origin === 'zh' ? CN_MAIL : LATIN_MAIL);
  const profile = SEGMENTS[segment];
  // The domain needs one of email or phone; most customers leave both.
  const contact = rand.weighted(['both', 'email', 'phone'] as const, (c) => ({ both: 75, email: 15, phone: 10 })[c])!;
  return {
    customerId,
    name,
    email: contact === 'phone' ? null : `${mailName}${index}@${domain}`,
    phone: contact === 'email' ? null : phone,
    address,
    home,
    origin,
    segment,
    categories: subset(rand, CATEGORIES, 1, 3),
    channels: subset(rand, CONTACT_CHANNELS, 1, 2),
    medianSpend: Math.round(profile.medianSpend * (0.6 + rand.next() * 0.8)),
    gapDays: profile.gapDays * (0.6 + rand.next() * 0.8),
    foreignShare: origin === 'zh' ? (rand.chance(0.2) ? 0.08 : 0) : 0.35,
  };
}
