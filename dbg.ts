import { Query } from 'mingo';
import { LinearRegExp } from './src/read-store/linear-regex';
const r = new LinearRegExp('^li', 'i');
console.log(r.test('Li Wei'), r.exec('Li Wei'));
console.log(new Query({ name: r }).test({ name: 'Li Wei' }));
