/** A small, realistic slice of Vietnamese names and Haravan-style geography codes. */
export const FAMILY_NAMES = [
  'Nguyễn',
  'Trần',
  'Lê',
  'Phạm',
  'Hoàng',
  'Huỳnh',
  'Phan',
  'Vũ',
  'Võ',
  'Đặng',
  'Bùi',
  'Đỗ',
  'Hồ',
  'Ngô',
  'Dương',
  'Lý',
] as const;

export const MIDDLE_NAMES = [
  'Văn',
  'Thị',
  'Hữu',
  'Minh',
  'Ngọc',
  'Thanh',
  'Quốc',
  'Thu',
  'Đức',
  'Gia',
  'Bảo',
] as const;

export const GIVEN_NAMES = [
  'An',
  'Bình',
  'Châu',
  'Dũng',
  'Giang',
  'Hà',
  'Hải',
  'Hạnh',
  'Hiếu',
  'Hoa',
  'Hùng',
  'Hương',
  'Khánh',
  'Lan',
  'Linh',
  'Long',
  'Mai',
  'Nam',
  'Nga',
  'Nhung',
  'Phong',
  'Phúc',
  'Quân',
  'Quỳnh',
  'Sơn',
  'Tâm',
  'Thảo',
  'Trang',
  'Trung',
  'Tú',
  'Tuấn',
  'Vy',
  'Yến',
] as const;

export const STREETS = [
  'Lê Lợi',
  'Nguyễn Huệ',
  'Trần Hưng Đạo',
  'Hai Bà Trưng',
  'Lý Thường Kiệt',
  'Điện Biên Phủ',
  'Cách Mạng Tháng 8',
  'Phan Đình Phùng',
  'Nguyễn Trãi',
  'Võ Văn Tần',
  'Láng Hạ',
  'Kim Mã',
] as const;

export interface Ward {
  name: string;
  code: string;
}
export interface District {
  name: string;
  code: string;
  wards: readonly Ward[];
}
export interface Province {
  name: string;
  code: string;
  districts: readonly District[];
}

export const PROVINCES: readonly Province[] = [
  {
    name: 'Hồ Chí Minh',
    code: 'HC',
    districts: [
      {
        name: 'Quận 1',
        code: 'HC476',
        wards: [
          { name: 'Phường Bến Nghé', code: '26740' },
          { name: 'Phường Đa Kao', code: '26734' },
        ],
      },
      {
        name: 'Quận 3',
        code: 'HC478',
        wards: [
          { name: 'Phường Võ Thị Sáu', code: '27139' },
          { name: 'Phường 9', code: '27142' },
        ],
      },
      {
        name: 'Quận 7',
        code: 'HC482',
        wards: [
          { name: 'Phường Tân Phong', code: '27487' },
          { name: 'Phường Tân Phú', code: '27490' },
        ],
      },
    ],
  },
  {
    name: 'Hà Nội',
    code: 'HI',
    districts: [
      {
        name: 'Quận Ba Đình',
        code: 'HI001',
        wards: [
          { name: 'Phường Kim Mã', code: '00028' },
          { name: 'Phường Ngọc Hà', code: '00016' },
        ],
      },
      {
        name: 'Quận Hoàn Kiếm',
        code: 'HI002',
        wards: [
          { name: 'Phường Hàng Bạc', code: '00064' },
          { name: 'Phường Tràng Tiền', code: '00079' },
        ],
      },
      {
        name: 'Quận Cầu Giấy',
        code: 'HI005',
        wards: [
          { name: 'Phường Dịch Vọng', code: '00160' },
          { name: 'Phường Yên Hòa', code: '00172' },
        ],
      },
    ],
  },
  {
    name: 'Đà Nẵng',
    code: 'DA',
    districts: [
      {
        name: 'Quận Hải Châu',
        code: 'DA490',
        wards: [
          { name: 'Phường Thạch Thang', code: '20194' },
          { name: 'Phường Hòa Cường Bắc', code: '20227' },
        ],
      },
      { name: 'Quận Sơn Trà', code: 'DA493', wards: [{ name: 'Phường An Hải Bắc', code: '20275' }] },
    ],
  },
  {
    name: 'Cần Thơ',
    code: 'CT',
    districts: [
      {
        name: 'Quận Ninh Kiều',
        code: 'CT916',
        wards: [
          { name: 'Phường Tân An', code: '31153' },
          { name: 'Phường An Hòa', code: '31120' },
        ],
      },
    ],
  },
  {
    name: 'Cao Bằng',
    code: 'CB',
    districts: [
      { name: 'Thành phố Cao Bằng', code: 'CB040', wards: [{ name: 'Phường Hợp Giang', code: '01273' }] },
    ],
  },
];

export const LOCATIONS = [
  { id: 1000301, name: 'Cửa hàng Quận 1' },
  { id: 1000302, name: 'Cửa hàng Cầu Giấy' },
  { id: 1000303, name: 'Kho online' },
] as const;

export const PRODUCT_KINDS = [
  {
    type: 'Áo',
    titles: ['Áo thun basic', 'Áo sơ mi linen', 'Áo khoác gió', 'Áo polo'],
    price: [149_000, 690_000],
  },
  { type: 'Quần', titles: ['Quần jean slim', 'Quần kaki', 'Quần short'], price: [199_000, 790_000] },
  { type: 'Giày', titles: ['Giày sneaker', 'Dép quai ngang', 'Giày lười da'], price: [250_000, 2_490_000] },
  {
    type: 'Phụ kiện',
    titles: ['Túi tote', 'Nón lưỡi trai', 'Ví da', 'Thắt lưng'],
    price: [59_000, 1_290_000],
  },
] as const;

export const VENDORS = ['Haravan Fashion', 'Sài Gòn Style', 'Hà Thành Leather'] as const;
