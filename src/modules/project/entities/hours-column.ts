/** DECIMAL comes back from the drivers as a string: hours are numbers everywhere else. */
export const hoursColumn = {
  to: (value: number | null) => value,
  from: (value: string | number | null) => (value === null ? null : Number(value)),
};
