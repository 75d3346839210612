/** The project's one seeded PRNG (mulberry32), for tests that must replay a random run. */
export { tao_ngau_nhien } from '../../examples/model/random.js';
