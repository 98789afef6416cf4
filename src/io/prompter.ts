/** What commands may ask. Implemented with @inquirer/prompts (drawn on stderr) or by a test fake. */
export interface Choice<T> {
  name: string;
  value: T;
  description?: string;
}

export interface Prompter {
  /** A hidden input: nothing typed is echoed. */
  password(options: { message: string }): Promise<string>;
  confirm(options: { message: string; default?: boolean }): Promise<boolean>;
  /**
   * `default`: the choice the cursor starts on. `clear`: the prompt (and its list) is erased when
   * answered or cancelled, so a long list does not stay on screen.
   */
  select<T>(options: { message: string; choices: Choice<T>[]; default?: T; clear?: boolean }): Promise<T>;
  input(options: { message: string; default?: string; validate?: (value: string) => true | string }): Promise<string>;
}
