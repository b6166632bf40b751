import { fireEvent, render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Avatar } from '../../../../renderer/src/components/Avatar';

const PICTURE = '/archive/media/0b6f1a52-7c1e-4a8e-9d65-2f4f8f1e2a3b.jpg';

/** The avatar inside a labelled row, as the conversation list draws it. */
function renderAvatar(src?: string | null) {
  const { getByRole } = render(
    <button type="button">
      <Avatar name="Jane Doe" seed="1784" src={src} />
      <span>Jane Doe</span>
    </button>,
  );
  return getByRole('button');
}

const pictureIn = (row: HTMLElement) => row.querySelector('img');

describe('Avatar', () => {
  it('shows the archived profile picture, decorative: the row is still named by the name', () => {
    const row = renderAvatar(PICTURE);
    const picture = pictureIn(row);
    expect(picture).toHaveAttribute('src', PICTURE);
    expect(picture).toHaveAttribute('alt', '');
    expect(picture).toHaveClass('avatar', 'avatar--picture');
    expect(row).toHaveAccessibleName('Jane Doe');
    expect(row).not.toHaveTextContent('JD');
  });

  it.each([undefined, null])('shows initials when there is no picture (%s)', (src) => {
    const row = renderAvatar(src);
    expect(pictureIn(row)).toBeNull();
    expect(row).toHaveTextContent('JDJane Doe');
  });

  // Only a file of the archive is loaded: never an expiring Instagram link, a script, a path out.
  it.each([
    'https://scontent.cdninstagram.com/v/profile.jpg',
    'javascript:alert(1)',
    '/archive/media/../archive.sqlite',
  ])('shows initials instead of loading %s', (src) => {
    const row = renderAvatar(src);
    expect(pictureIn(row)).toBeNull();
    expect(row).toHaveTextContent('JD');
  });

  it('falls back to initials when the picture fails to load (gone, not an image)', () => {
    const row = renderAvatar(PICTURE);
    fireEvent.error(pictureIn(row)!);
    expect(pictureIn(row)).toBeNull();
    expect(row).toHaveTextContent('JD');
  });

  it('falls back to initials when the picture decodes to nothing (0×0)', () => {
    const row = renderAvatar(PICTURE);
    // jsdom decodes nothing: every image it "loads" is 0×0, as a broken file would be.
    fireEvent.load(pictureIn(row)!);
    expect(pictureIn(row)).toBeNull();
    expect(row).toHaveTextContent('JD');
  });

  it('gives a new picture its own chance after an older one failed', () => {
    const { rerender, container } = render(<Avatar name="Jane Doe" seed="1784" src={PICTURE} />);
    fireEvent.error(container.querySelector('img')!);
    const newer = PICTURE.replace('.jpg', '.png');
    rerender(<Avatar name="Jane Doe" seed="1784" src={newer} />);
    expect(container.querySelector('img')).toHaveAttribute('src', newer);
  });
});
